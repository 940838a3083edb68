import pytest

from canned_replies import check_length, count_length

LONG_URL = "https://www.ferlys.fr/aide/remboursement-retard?ref=QXTRBF&utm_source=x"


def test_x_counts_any_url_as_23():
    assert count_length(f"Voir {LONG_URL}", "x") == 5 + 23


def test_x_counts_an_emoji_sequence_as_two():
    family = "👨‍👩‍👧‍👦"
    assert count_length(f"Merci {family}", "x") == 6 + 2


def test_x_counts_cjk_double_and_accents_single():
    assert count_length("été", "x") == 3
    assert count_length("日本", "x") == 4


def test_x_limit_is_280():
    assert check_length("a" * 280, "x").ok
    over = check_length("a" * 281, "twitter")
    assert not over.ok and over.limit == 280 and over.remaining == -1


def test_bluesky_counts_graphemes_and_full_urls():
    assert count_length("é👍🏽👨‍👩‍👧‍👦", "bluesky") == 3
    assert count_length(LONG_URL, "bluesky") == len(LONG_URL)
    assert check_length("é" * 300, "bluesky").ok
    assert not check_length("é" * 301, "bluesky").ok


def test_mastodon_counts_urls_as_23_and_remote_handles_by_username():
    assert count_length(f"Voir {LONG_URL}", "mastodon") == 5 + 23
    assert count_length("@alice@mastodon.social merci", "mastodon") == len("@alice merci")
    assert check_length("x" * 500, "mastodon").ok
    assert not check_length("x" * 501, "mastodon").ok


@pytest.mark.parametrize("channel", ["webhook", "demo", "email"])
def test_other_channels_have_no_limit(channel):
    result = check_length("x" * 10_000, channel)
    assert result.ok and result.limit is None and result.remaining is None
