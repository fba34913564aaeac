from types import SimpleNamespace

from knowledge.diff import Part, diff_versions, diff_words


def test_a_changed_word_is_marked_alone():
    assert diff_words("Spoel de wond met water", "Spoel de wond met kraanwater") == [
        Part("same", "Spoel de wond met "),
        Part("removed", "water"),
        Part("added", "kraanwater"),
    ]


def test_lines_added_and_nothing_changed():
    assert diff_words("een\n", "een\ntwee\n") == [Part("same", "een\n"), Part("added", "twee\n")]
    assert diff_words("gelijk", "gelijk") == [Part("same", "gelijk")]


def test_versions_differ_in_title_text_and_tags():
    old = SimpleNamespace(title="Oud", body="tekst", tag_list=["a", "b"])
    new = SimpleNamespace(title="Nieuw", body="tekst", tag_list=["b", "c"])
    changes = diff_versions(old, new)
    assert changes.any and changes.tags_added == ["c"] and changes.tags_removed == ["a"]
    assert not diff_versions(old, old).any


def test_a_line_inserted_among_changed_lines_keeps_the_others_word_by_word():
    old = "1. Spoel met water.\n2. Dep droog.\n3. Verband aan.\n"
    new = "1. Spoel met lauw water.\n2. Controleer de randen.\n3. Dep droog.\n4. Verband aan.\n"
    parts = diff_words(old, new)
    added = [p.text for p in parts if p.kind == "added"]
    removed = [p.text for p in parts if p.kind == "removed"]
    assert "lauw " in added and "2. Controleer de randen.\n" in "".join(added)
    assert "Dep droog" not in "".join(removed) and "Verband" not in "".join(removed)


def test_long_unchanged_runs_are_cut_and_line_ends_do_not_count():
    old = "".join(f"regel {n}\n" for n in range(30))
    new = old.replace("regel 15\n", "regel vijftien\n").replace("\n", "\r\n")
    changes = diff_versions(
        SimpleNamespace(title="t", body=old, tag_list=[]),
        SimpleNamespace(title="t", body=new, tag_list=[]),
    )
    kinds = [p.kind for p in changes.body]
    assert kinds == ["gap", "same", "removed", "added", "same", "gap"]
    assert changes.body[1].text == "regel 12\nregel 13\nregel 14\n"
