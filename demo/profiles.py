"""The demo people's profiles and their photos, made here with Pillow (nothing is
downloaded): a soft gradient, a friendly head-and-shoulders silhouette, the same
picture every time for the same person."""

import hashlib
import io

from PIL import Image, ImageDraw, ImageFilter

# username: (phone, "ask me about", bio)
PROFILES = {
    "anouk": (
        "06 1234 5601",
        ["wondzorg", "palliatieve zorg", "ECD"],
        "Wijkverpleegkundige in Utrecht-Oost. Ik denk graag mee over lastige wonden "
        "en over zorg thuis in de laatste levensfase.",
    ),
    "bram": (
        "06 1234 5602",
        ["roosters", "teamontwikkeling"],
        "Teamleider Wijkzorg Utrecht. Deur staat open, koffie staat klaar.",
    ),
    "sanne": (
        "033 760 12 03",
        ["medicatieveiligheid", "nachtdiensten"],
        "Verpleegkundige op de kliniek, meestal in de avond en nacht.",
    ),
    "daan": (
        "030 760 12 04",
        ["intranet", "nieuwsbrief", "schrijven"],
        "Ik maak het organisatienieuws. Heb je een mooi verhaal? Laat het me weten!",
    ),
    "fleur": (
        "06 1234 5605",
        ["jeugdzorg", "gezinsgesprekken"],
        "Maatschappelijk werker bij het team Jeugd in Zeist.",
    ),
    "jeroen": (
        "030 760 12 06",
        ["strategie", "zorginnovatie"],
        "Directeur. Ik blog elke maand over wat me bezighoudt; reageren mag altijd.",
    ),
    "lotte": (
        "030 760 12 07",
        ["Kring", "vertrouwenspersoon", "onboarding"],
        "Community coach: ik help teams hun weg te vinden in Kring. Ook vertrouwenspersoon.",
    ),
    "thijs": (
        "033 760 12 08",
        ["ECD", "roosterprogramma", "wifi"],
        "Functioneel beheerder. Storing of vraag over een systeem? Meld het bij ICT-meldingen.",
    ),
    "emma": (
        "033 760 12 09",
        ["wondzorg", "decubitus", "negatieve druktherapie"],
        "Wondverpleegkundige en trekker van de kenniskring wondzorg.",
    ),
    "ruben": (
        "06 1234 5610",
        ["ambulante begeleiding", "jongvolwassenen"],
        "Ambulant begeleider van jongeren die op zichzelf gaan wonen.",
    ),
    "noor": (
        "06 1234 5611",
        ["persoonlijke verzorging", "dementie"],
        "Verzorgende IG in Nieuwegein. Dementie heeft mijn hart.",
    ),
    "lucas": (
        "030 760 12 12",
        ["koken", "dieetwensen", "recepten"],
        "Kok van de kantine in Utrecht. Wensen voor het menu zijn welkom!",
    ),
    "iris": (
        "06 1234 5613",
        ["angststoornissen", "EMDR", "intervisie"],
        "Psycholoog bij de GGZ in Zeist.",
    ),
    "milan": (
        "030 760 12 14",
        ["BBL-opleiding", "stagebegeleiding", "e-learning"],
        "Praktijkopleider: ik begeleid leerlingen en nieuwe collega's.",
    ),
    "julia": (
        "033 760 12 15",
        ["wondzorg", "diabetes", "medicatieveiligheid"],
        "Verpleegkundig specialist op de kliniek in Amersfoort.",
    ),
    "sem": (
        "033 760 12 16",
        ["wachtwoorden", "phishing", "laptops"],
        "Servicedesk. Twijfel je over een mail? Bel me even voor je klikt.",
    ),
    "eva": ("030 760 12 17", ["agenda directie", "vergaderzalen"], "Secretaresse van de directie."),
    "finn": (
        "06 1234 5618",
        ["dagbesteding", "muziek", "bewegen"],
        "Activiteitenbegeleider bij de dagbesteding in Nieuwegein.",
    ),
    "zoë": (
        "06 1234 5619",
        ["gedragsproblemen", "autisme"],
        "Gedragswetenschapper bij het team Jeugd.",
    ),
    "levi": (
        "06 1234 5620",
        ["wijkzorg", "diabetes"],
        "Wijkverpleegkundige in Nieuwegein, op de fiets door de wijk.",
    ),
    "sara": (
        "033 760 12 21",
        ["revalidatie", "valpreventie"],
        "Fysiotherapeut. Vraag me gerust over vallen voorkomen.",
    ),
    "noah": ("030 760 12 22", ["kwaliteitskader", "beleid"], "Beleidsadviseur kwaliteit."),
    "tess": (
        "033 760 12 23",
        ["nachtdiensten", "medicatieveiligheid"],
        "Verpleegkundige op de kliniek.",
    ),
    "mees": (
        "06 1234 5624",
        ["zelfsturing", "teamcoaching"],
        "Teamcoach voor de zelfsturende teams in Zeist.",
    ),
    "lieke": (
        "030 760 12 25",
        ["verlof", "MTO", "arbeidsvoorwaarden"],
        "HR-adviseur. Vragen over verlof of het MTO? Ik help je.",
    ),
    "bas": ("06 1234 5626", ["sleutels", "gebouwbeheer"], "Huismeester in Nieuwegein."),
    "fatima": (
        "06 1234 5627",
        ["wijkzorg", "cultuursensitieve zorg"],
        "Wijkverpleegkundige in Utrecht-West. Ik spreek ook Arabisch.",
    ),
    "mohammed": (
        "033 760 12 28",
        ["hulpmiddelen", "woningaanpassing"],
        "Ergotherapeut bij revalidatie.",
    ),
    "anna": ("033 760 12 29", ["voeding", "diabetes"], "Diëtist op de kliniek."),
    "pieter": (
        "030 760 12 30",
        ["kwaliteitskader", "audits", "klachtenregeling"],
        "Kwaliteitsfunctionaris: audits, meldingen en de klachtenregeling.",
    ),
}
# Not everyone has put up a photo (in the field it is about a third to two thirds).
WITHOUT_PHOTO = {"ruben", "noah", "bas", "eva", "mohammed", "tess", "sem"}

BACKGROUNDS = [
    ((255, 226, 204), (250, 180, 160)),
    ((204, 232, 255), (160, 196, 250)),
    ((214, 245, 224), (150, 210, 180)),
    ((240, 222, 255), (200, 170, 240)),
    ((255, 244, 204), (245, 205, 140)),
    ((210, 240, 240), (140, 200, 205)),
]
SKIN = [(241, 200, 170), (224, 172, 134), (198, 134, 96), (160, 102, 70), (110, 72, 50)]
HAIR = [(60, 40, 30), (120, 80, 40), (220, 180, 110), (30, 30, 35), (150, 60, 40), (170, 170, 175)]
CLOTHES = [
    (11, 110, 110),
    (29, 78, 216),
    (190, 24, 93),
    (109, 40, 217),
    (21, 128, 61),
    (154, 52, 18),
]


def demo_portrait(username: str, side: int = 512) -> bytes:
    """A friendly, abstract portrait for this person, the same every time."""
    digest = hashlib.sha256(username.encode()).digest()
    top, bottom = BACKGROUNDS[digest[0] % len(BACKGROUNDS)]
    skin = SKIN[digest[1] % len(SKIN)]
    hair = HAIR[digest[2] % len(HAIR)]
    clothes = CLOTHES[digest[3] % len(CLOTHES)]
    long_hair = digest[4] % 2 == 0

    image = Image.new("RGB", (side, side), top)
    draw = ImageDraw.Draw(image)
    for y in range(side):
        t = y / (side - 1)
        draw.line(
            [(0, y), (side, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    s = side / 512
    # Long hair falls behind the shoulders.
    if long_hair:
        draw.rounded_rectangle((150 * s, 130 * s, 362 * s, 400 * s), radius=90 * s, fill=hair)
    # Shoulders and neck.
    draw.ellipse((86 * s, 350 * s, 426 * s, 640 * s), fill=clothes)
    draw.rectangle((226 * s, 300 * s, 286 * s, 370 * s), fill=skin)
    # Head, then hair on top.
    draw.ellipse((166 * s, 120 * s, 346 * s, 320 * s), fill=skin)
    draw.chord((160 * s, 100 * s, 352 * s, 270 * s), 180, 360, fill=hair)
    # A friendly face: eyes and a smile.
    eye = (50, 40, 40)
    draw.ellipse((212 * s, 205 * s, 228 * s, 221 * s), fill=eye)
    draw.ellipse((284 * s, 205 * s, 300 * s, 221 * s), fill=eye)
    draw.arc((226 * s, 230 * s, 286 * s, 280 * s), 20, 160, fill=eye, width=max(2, round(5 * s)))
    image = image.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# The demo organisation launched in its own style: a name, a plum accent and a
# linden-leaf logo drawn here.
ORGANISATION_NAME = "Zorggroep De Linde"
ORGANISATION_SHORT_NAME = "De Linde"
ORGANISATION_ACCENT = "#7b3b6e"


def demo_logo(side: int = 512) -> bytes:
    """The demo organisation's logo: a white linden leaf on a plum disc, as a PNG."""
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, side - 1, side - 1), fill=(0x7B, 0x3B, 0x6E, 255))
    u = side / 16
    # The leaf: a heart-like shape of two circles and a triangle, with a stalk.
    draw.ellipse((4 * u, 4 * u, 8.6 * u, 8.6 * u), fill="white")
    draw.ellipse((7.4 * u, 4 * u, 12 * u, 8.6 * u), fill="white")
    draw.polygon([(4.2 * u, 7.2 * u), (11.8 * u, 7.2 * u), (8 * u, 12.4 * u)], fill="white")
    draw.line([(8 * u, 12.2 * u), (8 * u, 13.6 * u)], fill="white", width=max(2, int(u * 0.6)))
    draw.line(
        [(8 * u, 6 * u), (8 * u, 11.4 * u)],
        fill=(0x7B, 0x3B, 0x6E, 255),
        width=max(1, int(u * 0.3)),
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
