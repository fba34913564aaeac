"""The domain of Kring: people, groups, posts and the rules that connect them.

Every change goes through ``communities.actions``; every read of what a person
may see goes through the ``visible_to`` querysets in ``communities.models``.
"""
