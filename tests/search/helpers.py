from people import actions as people_actions


def make_carol_the_expert(team) -> None:
    """Carol is the wound nurse colleagues ask about decubitus."""
    people_actions.edit_profile(
        team.carol,
        job_title="Wondverpleegkundige",
        department="Kliniek",
        location="Utrecht",
        phone="",
        bio="Vraag me alles over decubitus.",
        expertise=["decubitus", "wondzorg"],
    )
