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
