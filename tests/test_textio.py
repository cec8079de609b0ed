"""Bad input files get one clear InputError each; good ones decode."""

import pytest

from course.core.textio import check_text, decode_text, read_text_file
from course.errors import InputError


def test_reads_utf8_and_drops_a_bom(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffKyiv – “quoted”".encode("utf-8"))
    assert read_text_file(path) == "Kyiv – “quoted”"


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"", "is empty"),
        (b"  \n\t\r\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("Gdańsk".encode("iso8859-2"), "not UTF-8"),
    ],
)
def test_bad_files_raise_one_line_input_error(tmp_path, content, fragment):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_text_file(path)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message and str(path) in message


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_text_file(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a folder"):
        read_text_file(tmp_path)


def test_decode_and_check_name_the_input():
    with pytest.raises(InputError, match="^pasted text: is empty$"):
        check_text("   ", "pasted text")
    assert decode_text(b"plain") == "plain"
