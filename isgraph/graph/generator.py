"""Synthetic cases for tests and benchmarks: realistic in shape (shared actors
across cases, communes and quartiers inside the reference départements, resources
under the three principles, nine assessments per characterisation) with a
controlled share of defects. Deterministic for a given seed. The cases are
invented: their IRIs live under ``id/gen/`` and must never be mistaken for data.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import IO

import pyoxigraph as ox

from isgraph.namespaces import GRAPH, GRID, ID, ISG, LEVEL, PRINCIPLE, RDF, RDFS, ROLE, XSD
from isgraph.rdf.forms import ELEMENTS

DEPARTEMENTS = [
    "01",
    "02",
    "03",
    "04",
    "05",
    "06",
    "07",
    "08",
    "09",
    "10",
    "11",
    "12",
    "13",
    "14",
    "15",
    "16",
    "17",
    "18",
    "19",
    "2A",
    "2B",
    "21",
    "22",
    "23",
    "24",
    "25",
    "26",
    "27",
    "28",
    "29",
    "30",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "38",
    "39",
    "40",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "47",
    "48",
    "49",
    "50",
    "51",
    "52",
    "53",
    "54",
    "55",
    "56",
    "57",
    "58",
    "59",
    "60",
    "61",
    "62",
    "63",
    "64",
    "65",
    "66",
    "67",
    "68",
    "69",
    "70",
    "71",
    "72",
    "73",
    "74",
    "75",
    "76",
    "77",
    "78",
    "79",
    "80",
    "81",
    "82",
    "83",
    "84",
    "85",
    "86",
    "87",
    "88",
    "89",
    "90",
    "91",
    "92",
    "93",
    "94",
    "95",
    "971",
    "972",
    "973",
    "974",
    "976",
]
ORGANISATION_TYPES = (
    "Association",
    "Association",
    "Association",
    "Cooperative",
    "Company",
    "PublicBody",
    "LocalAuthority",
    "ResearchOrganisation",
    "HealthOrSocialInstitution",
)
ROLES = (
    "partenaire",
    "financeur",
    "coproducteur",
    "membre-gouvernance",
    "beneficiaire",
    "usager",
    "acteur-mobilise",
    "benevole",
    "diffuseur",
)
#: The kinds of defect the generator plants, each breaking one shape.
DEFECTS = (
    "no-label",
    "missing-element",
    "unknown-level",
    "no-statement",
    "no-carrier",
    "untyped-date",
    "provider-not-said",
    "unknown-territory",
    "untyped-participant",
    "statement-without-language",
    "negative-amount",
    "one-actor",
)

_T = ox.NamedNode(RDF["type"])
_LABEL = ox.NamedNode(RDFS["label"])


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _isg(local: str) -> ox.NamedNode:
    return ox.NamedNode(ISG[local])


def _fr(text: str) -> ox.Literal:
    return ox.Literal(text, language="fr")


def _date(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=_n(XSD["date"]))


class _World:
    """The shared part: communes, quartiers and a pool of organisations."""

    def __init__(self, rng: random.Random, cases: int) -> None:
        self.rng = rng
        self.communes = []
        for i in range(max(20, cases // 10)):
            dep = rng.choice(DEPARTEMENTS)
            code = f"{dep}{i % 1000:03d}" if len(dep) == 2 else f"{dep}{i % 100:02d}"
            self.communes.append((ID[f"gen/territory/commune/{code}-{i}"], code, ID[f"territory/departement/{dep}"]))
        self.quartiers = [(ID[f"gen/territory/quartier/{i}"], rng.choice(self.communes)[0]) for i in range(max(10, cases // 20))]
        self.organisations = [
            (ID[f"gen/actor/org-{i}"], rng.choice(ORGANISATION_TYPES), rng.choice(self.communes)[0], i)
            for i in range(max(10, cases // 3))
        ]

    def territory(self, iri: str) -> list[ox.Triple]:
        for commune, code, dep in self.communes:
            if commune == iri:
                return [
                    ox.Triple(_n(commune), _T, _isg("Commune")),
                    ox.Triple(_n(commune), _LABEL, _fr(f"Commune {code}")),
                    ox.Triple(_n(commune), _isg("inseeCode"), ox.Literal(code)),
                    ox.Triple(_n(commune), _isg("within"), _n(dep)),
                ]
        for quartier, commune in self.quartiers:
            if quartier == iri:
                return [
                    ox.Triple(_n(quartier), _T, _isg("Quartier")),
                    ox.Triple(_n(quartier), _LABEL, _fr("Quartier")),
                    ox.Triple(_n(quartier), _isg("within"), _n(commune)),
                    *self.territory(commune),
                ]
        return []

    def organisation(self, entry: tuple[str, str, str, int]) -> list[ox.Triple]:
        iri, kind, commune, i = entry
        out = [
            ox.Triple(_n(iri), _T, _isg(kind)),
            ox.Triple(_n(iri), _LABEL, _fr(f"Organisation {i}")),
            ox.Triple(_n(iri), _isg("locatedIn"), _n(commune)),
        ]
        if i % 3 == 0:
            out.append(
                ox.Triple(
                    _n(iri),
                    _isg("rna" if kind == "Association" else "siren"),
                    ox.Literal(f"W{i:09d}" if kind == "Association" else f"{i:09d}"),
                )
            )
        return out

    def territories(self) -> list[ox.Triple]:
        """The generated communes and quartiers, described once (reference data, not cases)."""
        out: list[ox.Triple] = []
        for quartier, _commune in self.quartiers:
            out += self.territory(quartier)[:3]
        for commune, _code, _dep in self.communes:
            out += self.territory(commune)
        return out


def generate_cases(count: int, *, seed: int = 1, defects: float = 0.1) -> Iterator[tuple[str, list[ox.Triple]]]:
    """``count`` cases as (named graph, triples), a share ``defects`` of them with one planted defect,
    after one graph that describes the generated communes and quartiers they are in."""
    rng = random.Random(seed)
    world = _World(rng, count)
    yield GRAPH["territories/generated"], world.territories()
    for index in range(count):
        defect = rng.choice(DEFECTS) if rng.random() < defects else None
        yield GRAPH[f"case/gen-{index}"], _case(rng, world, index, defect)


def _case(rng: random.Random, world: _World, i: int, defect: str | None) -> list[ox.Triple]:
    case = _n(ID[f"gen/initiative/{i}"])
    out: list[ox.Triple] = [ox.Triple(case, _T, _isg("Initiative"))]
    if defect != "no-label":
        out.append(ox.Triple(case, _LABEL, _fr(f"Initiative {i}")))
    if rng.random() < 0.5:
        territory = rng.choice(world.quartiers)[0]
    elif rng.random() < 0.5:
        territory = rng.choice(world.communes)[0]
    else:
        territory = ID[f"territory/departement/{rng.choice(DEPARTEMENTS)}"]
    if defect == "unknown-territory":
        territory = ID["territory/commune/00000"]
    out.append(ox.Triple(case, _isg("territory"), _n(territory)))

    # actors: a carrier and partners from the shared pool, and the inhabitants of the territory
    partners = rng.sample(world.organisations, k=min(len(world.organisations), rng.randint(1, 3)))
    carrier, others = partners[0], partners[1:]
    inhabitants = _n(ID[f"gen/actor/habitants-{i}"])
    participants = [(carrier[0], "porteur" if defect != "no-carrier" else "partenaire")]
    participants += [(o[0], rng.choice(ROLES)) for o in others]
    if defect != "one-actor":
        participants.append((inhabitants.value, rng.choice(("beneficiaire", "membre-gouvernance", "coproducteur"))))
    for entry in partners:
        out += world.organisation(entry)
    if defect != "untyped-participant":
        out.append(ox.Triple(inhabitants, _T, _isg("InformalGroup")))
    out += [ox.Triple(inhabitants, _LABEL, _fr("habitants")), ox.Triple(inhabitants, _isg("locatedIn"), _n(territory))]
    for n, (actor, role) in enumerate(participants):
        p = _n(ID[f"gen/participation/{i}/{n}"])
        out += [
            ox.Triple(p, _T, _isg("Participation")),
            ox.Triple(p, _isg("participationIn"), case),
            ox.Triple(p, _isg("participant"), _n(actor)),
            ox.Triple(p, _isg("role"), _n(ROLE[role])),
        ]

    # resources
    principles = rng.sample(("marche", "redistribution", "reciprocite"), k=rng.randint(1, 3))
    for n, principle in enumerate(principles):
        r = _n(ID[f"gen/contribution/{i}/{n}"])
        out += [
            ox.Triple(r, _T, _isg("ResourceContribution")),
            ox.Triple(r, _isg("contributionTo"), case),
            ox.Triple(r, _isg("principle"), _n(PRINCIPLE[principle])),
        ]
        if defect == "provider-not-said" and n == 0:
            pass
        elif rng.random() < 0.5:
            out.append(ox.Triple(r, _isg("provider"), _n(rng.choice(partners)[0])))
        else:
            out.append(ox.Triple(r, _isg("providerUnknown"), ox.Literal("true", datatype=_n(XSD["boolean"]))))
        if rng.random() < 0.3 or (defect == "negative-amount" and n == 0):
            amount = "-100" if defect == "negative-amount" and n == 0 else f"{rng.randint(100, 100000)}.00"
            out.append(ox.Triple(r, _isg("amount"), ox.Literal(amount, datatype=_n(XSD["decimal"]))))

    # characterisation
    c = _n(ID[f"gen/characterisation/{i}"])
    year = rng.randint(2010, 2025)
    date = ox.Literal(
        f"{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", datatype=_n(XSD["string" if defect == "untyped-date" else "date"])
    )
    out += [
        ox.Triple(c, _T, _isg("Characterisation")),
        ox.Triple(c, _isg("characterises"), case),
        ox.Triple(c, _isg("assessor"), _n(carrier[0])),
        ox.Triple(c, _isg("assessmentDate"), date),
        ox.Triple(c, _isg("usesGrid"), _n(GRID["godin-2013"])),
    ]
    skipped = rng.choice(ELEMENTS) if defect == "missing-element" else None
    odd = rng.choice(ELEMENTS)
    for element in ELEMENTS:
        if element == skipped:
            continue
        a = _n(f"{c.value}/{element}")
        level = rng.choices(("present", "en-cours", "absent", "non-renseigne"), weights=(80, 12, 5, 3))[0]
        if defect == "unknown-level" and element == odd:
            level = "peut-etre"
        out += [
            ox.Triple(c, _isg("hasElementAssessment"), a),
            ox.Triple(a, _T, _isg("ElementAssessment")),
            ox.Triple(a, _isg("element"), _n(GRID[element])),
            ox.Triple(a, _isg("level"), _n(LEVEL[level])),
        ]
        if defect == "no-statement" and element == odd:
            continue
        text = f"énoncé {element} du cas {i}"
        statement = ox.Literal(text) if defect == "statement-without-language" and element == odd else _fr(text)
        out.append(ox.Triple(a, _isg("statement"), statement))
    return out


def write_cases(output: IO[bytes], count: int, *, seed: int = 1, defects: float = 0.1, fmt: str = "nquads") -> int:
    """Write ``count`` generated cases (N-Quads, one graph each; or Turtle, their union). Returns the number of quads."""
    written = 0

    def quads() -> Iterator[ox.Quad]:
        nonlocal written
        for graph, triples in generate_cases(count, seed=seed, defects=defects):
            written += len(triples)
            yield from (ox.Quad(t.subject, t.predicate, t.object, _n(graph)) for t in triples)

    if fmt == "turtle":
        ox.serialize(list(dict.fromkeys(q.triple for q in quads())), output, format=ox.RdfFormat.TURTLE)
    else:
        ox.serialize(quads(), output, format=ox.RdfFormat.N_QUADS)
    return written
