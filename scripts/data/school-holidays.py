#!/usr/bin/env python3
"""Rebuilds crates/calendar/data/vacances-zone-b.csv from the PyPI package
vacances-scolaires-france (its data/data.csv: one row per day, the zones' flags and the name).

    pip download --no-deps vacances-scolaires-france==0.12.0 -d /tmp/vsf
    python3 scripts/data/school-holidays.py /tmp/vsf/vacances_scolaires_france-0.12.0-py3-none-any.whl
"""
import csv
import io
import sys
import zipfile

FIRST_DAY = "2022-07-01"  # the summer before the school year 2022-2023

wheel = zipfile.ZipFile(sys.argv[1])
rows = csv.DictReader(io.StringIO(wheel.read("vacances_scolaires_france/data/data.csv").decode()))
spans, previous = [], None
for r in rows:
    if r["date"] < FIRST_DAY:
        continue
    if r["vacances_zone_b"] == "True":
        if spans and spans[-1][2] == r["nom_vacances"] and spans[-1][1] == previous:
            spans[-1][1] = r["date"]
        else:
            spans.append([r["date"], r["date"], r["nom_vacances"]])
    previous = r["date"]

out = sys.stdout
out.write("# School holidays of zone B (académie de Lille), one span a line: first day, last day, name.\n")
out.write("# Source: « Vacances scolaires par zones », ministère de l'Éducation nationale, data.gouv.fr,\n")
out.write("# as shipped by the PyPI package vacances-scolaires-france 0.12.0 (data/data.csv).\n")
out.write("# Licence: Licence Ouverte / Open Licence 2.0 (Etalab). Rebuilt by scripts/data/school-holidays.py.\n")
out.write("# Spans run from the Saturday school ends to the Sunday before it starts again.\n")
w = csv.writer(out, lineterminator="\n")
w.writerow(["debut", "fin", "nom"])
w.writerows(spans)
