"""What happened at a place, who says so and when: guesses from a mention's sentence.

Rules, not a model: a reviewer checks every guess, so each one keeps the
words it rests on (``cue``) to show beside it.  All offsets are into the
report's text exactly as read (see :mod:`mapapp.sources.geoparse.text`).

>>> text = "Russia said on Tuesday that missiles struck Lviv."
>>> guess = guess_event(text, 44, 48, report_date=dt.date(2022, 11, 16))
>>> guess.event, guess.claimant, guess.date
('strike', 'Russia', '2022-11-15')
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection
from dataclasses import dataclass

# Event guesses, strongest first: a sentence that speaks of a blast and of
# missiles is about the blast (the missiles are its cause), unless the
# missiles are much nearer the place's name.
EVENTS: tuple[str, ...] = ("explosion", "strike", "withdrawal", "relocation", "fighting",
                           "front_line", "meeting", "mention")
EVENT_LABELS = {
    "explosion": "explosion", "strike": "strike", "withdrawal": "withdrawal",
    "relocation": "relocation or command post", "fighting": "fighting",
    "front_line": "front line", "meeting": "meeting", "mention": "mention only",
}
# "took shelter", "taken to hospital": nothing was captured.
_NOT_TAKEN = (r"\s+(?:place|part|off|to|in|into|shelter|cover|office|power|aim|note|refuge|"
              r"hostage|prisoner|away|over as|steps|action|measures)\b")
# What forces did on the ground: took a place, or attacked or advanced.
# The fighting cue is these and the words for fighting as such; a fight's
# action (see _fight) is read from the same words.
_TOOK_WORDS = (r"liberat\w*|recaptur\w*|captur\w*|took control|seiz\w*|entered(?!\s+into\b)|"
               rf"retook|retaken|took(?!{_NOT_TAKEN})|(?:had|has|have|was|were|been) "
               rf"taken(?!{_NOT_TAKEN})")
_ATTACK_WORDS = (r"offensive|counter-?offensive|counter-?attack\w*|assault\w*|advanc\w*|"
                 r"storm(?:ed|ing)|encircl\w*|pushed|crossed|"
                 r"(?:attempts?|attempted|tried|trying) to cross|broke through|breakthrough|"
                 r"gains?|gained|attacking (?:toward|towards|in the direction of)")
_CUES = {
    "explosion": r"explo(?:sions?|ded?)|blasts?",
    "strike": (r"missiles?|rockets?|drones?|(?:uncrewed|unmanned) (?:boats?|surface vessels?)|"
               r"(?:air ?)?strikes?|struck|(?:(?<=of )|(?<=for ))striking|shell(?:ed|ing)|"
               r"artillery|mortars?|bomb(?:ed|ing|s|ard\w*)?(?!\s+shelters?)|barrage|volley|shot down|"
               r"air defen[cs]es?|attack(?:s|ed)?"),
    "withdrawal": (r"withdr[ae]w\w*|withdrawn|retreat\w*|pull(?:ed|ing)? (?:out|back)|"
                   r"left the|abandon\w*"),
    "relocation": (r"relocat\w*|headquarters|command (?:post|centre|center|node)|"
                   r"commandant['’]s office|military commandant\w*|"
                   r"moved (?:its|their|the) \w+ to|administrative (?:centre|center|capital)"),
    # What forces did on the ground: "Russian forces" alone says nothing
    # happened (they may only be where they are, or what struck a city).
    "fighting": (rf"fight\w*|fought|clash\w*|battles?|repel\w*|repuls\w*|{_ATTACK_WORDS}|"
                 rf"{_TOOK_WORDS}"),
    "front_line": r"front[- ]?lines?|east bank|west bank|left bank|right bank|positions",
    "meeting": r"met|meet(?:s|ing)?|summit|talks|visit(?:s|ed)?|conference",
}
_CUE_RE = {event: re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)
           for event, pattern in _CUES.items()}
# What a strike was made with, when its clause says: the feature type it is
# drawn as depends on it, and "struck" or "attacked" alone says nothing.
WEAPONS: tuple[str, ...] = ("missile", "drone", "shelling", "air")
_WEAPON_RE = {weapon: re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE) for weapon, pattern in {
    "missile": r"missiles?|rockets?|cruise|ballistic|Iskanders?|Kalibrs?|Kinzhals?|S-300s?",
    # ... not what was struck: "struck Ukrainian drone workshops"
    "drone": (r"(?:drones?|Shaheds?|UAVs?)(?!\s+(?:workshops?|factor(?:y|ies)|plants?|"
              r"production|depots?|warehouses?|operators?|units?|launchers?|launch\s+sites?|"
              r"sites?|bases?|storage|facilit(?:y|ies)))|kamikaze|"
              r"(?:uncrewed|unmanned) (?:boats?|surface vessels?)"),
    "shelling": r"shell(?:s|ed|ing)?|artillery|mortars?|howitzers?|bombard\w*|MLRS|Grads?",
    "air": r"air ?strikes?|air raids? (?:hit|struck|on)|bomb(?:s|ed|ing|ers?)?(?!\s+shelters?)|"
           r"glide bombs?|warplanes?|(?<!anti-)aircraft|jets?",
}.items()}

# For fighting: whose forces the clause names (see _fight), and whether
# they took a place or attacked it.  A country's bare name is where, not who ("troops
# in eastern Ukraine"), unless it speaks of its own ("Russia said its").
SIDES = ("Russian", "Ukrainian")
_SPEAKS_OF_ITS = (r"(?=\s+(?:said|says|claimed|claims|announced)\s+(?:that\s+)?"
                  r"(?:its?|they|their)\b)")
_SIDE_RE = re.compile(
    rf"\b(?:(Russian(?!-)|(?:Russia|Moscow|Kremlin)['’]s|Russia{_SPEAKS_OF_ITS})"
    rf"|(Ukrainian(?!-)|(?:Ukraine|Kyiv)['’]s|Ukraine{_SPEAKS_OF_ITS}))")
# "Attacked" alone: a strike's word or a fight's, the words around it say.
BARE_ATTACK = re.compile(r"attack(?:s|ed)?", re.IGNORECASE)
# "Repelled" governing a fight's word: "repelled 14 assaults", not
# "repelled attacks near Robotyne and advanced".
_REPELLED_CUE = re.compile(r"\b(?:repel\w*|repuls\w*|beat(?:en)? (?:off|back)|fended off|"
                           r"held off|thwarted)\s+(?:(?!and\b|but\b|near\b|in\b)[\w-]+\s+)"
                           r"{0,3}$", re.IGNORECASE)
_REACH = 400  # characters
_FAR = 4_000  # characters
_AND_THEN = re.compile(r"\s*,?\s*and\s+(?:then\s+|later\s+|also\s+)?")
_PLACE_AHEAD = re.compile(r"\b(?:near|in|at|around|outside|towards?)\s+(?:the\s+)?[A-Z]")
_AND_VERB = re.compile(_AND_THEN.pattern + r"(?:had\s+)?(?:\w+ed|took|struck|hit|fought|shot|"
                       r"drove|beat|made|seized)\b")
# Trying to cross is fighting only for troops: "Russian troops tried to
# cross the Oskil", not "refugees made attempts to cross to Moldova".
_CROSSING = re.compile(r"(?:attempts?|attempted|tried|trying) to cross", re.IGNORECASE)
_MILITARY = re.compile(r"\b(?:troops|forces|units|soldiers|infantry|marines|army|brigades?|"
                       r"assault groups?|enemy|Russian|Ukrainian|Russia|Ukraine)\b",
                       re.IGNORECASE)
# What troops on the ground attack: "attacked Ukrainian positions".
_GROUND_TARGET = re.compile(r"\s+(?:(?:the|their|our|enemy|Ukrainian|Russian)\s+)?"
                            r"(?:positions|trenches|defen[cs]es|defensive lines|lines)\b",
                            re.IGNORECASE)
# Who attacks on the ground: "Russian troops attacked Bakhmut" is a
# fight there, where "Russian forces attacked Odesa" may be a missile strike
# (forces include an air force), so "forces" is not among them.
_GROUND_ATTACKERS = re.compile(r"\b(?:troops|soldiers|infantry|marines|paratroopers|"
                               r"assault (?:groups?|units?|troops)|brigades?|battalions?|"
                               r"tanks?|armou?red vehicles)\s+(?:(?!were\b|was\b)\w+\s+){0,2}$",
                               re.IGNORECASE)  # the attack's subject, not its victims
_GROUND_ATTACK = re.compile(r"\bground\s+$", re.IGNORECASE)  # "ground attacks near Bakhmut"
# "Attacked near Pokrovsk", "attacks in the direction of Lyman": forces on
# the ground attack near a place (a strike hits the place itself).
_HOW_OFTEN = r"(?:(?:\d+|\w+)\s+times|twice|again|repeatedly)"
_ATTACKED_NEAR = re.compile(rf"\s+(?:{_HOW_OFTEN}\s+)?(?:near|towards?|in the direction of|"
                            r"on the \w+ (?:direction|axis|front|sector))\b", re.IGNORECASE)
# ... and "near Toretsk, Russian forces attacked 16 times": forces that
# attack no object named ("attacked energy infrastructure" is a strike's).
_FORCES = re.compile(r"\b(?:forces|units|enemy|occupiers)\b", re.IGNORECASE)
_NO_OBJECT = re.compile(rf"\s*(?:[,.;]|$|{_HOW_OFTEN}|(?:in|within|inside|on|near|towards?)\b)",
                        re.IGNORECASE)
# A tally over the war, not one event: "Since the city was liberated in
# November 2022, Russian shelling has killed more than 500 civilians".
_TALLY = re.compile(r"^\W*since\b|\bsince\s+the\s+(?:(?:start|beginning|outbreak)\s+of|"
                    r"(?:full-scale\s+)?(?:war|invasion)\s+(?:began|started))\b", re.IGNORECASE)
# (not "the biggest attack since 2022", "for the first time since 2023")
_PERFECT = re.compile(r"\b(?:has|have)\s+(?:been\s+)?(?:\w+(?:ed|en)|hit|struck|shot|fought)\b",
                      re.IGNORECASE)
# "near Udachne", "near Zvirove, Kotlyne and Udachne"
_NEAR = re.compile(r"\b(?i:near|outside|around)\s+(?:[A-Z][\w'’-]+,\s+){0,6}"
                   r"(?:[A-Z][\w'’-]+,?\s+and\s+)?$")
# The enemy of whoever speaks: Kyiv's bulletins call Russian forces "the
# enemy", and "the occupiers" (only ever Russian).
_ENEMY = re.compile(r"\b(?:(occupiers?|invaders?|(?:occupying|occupation)\s+(?:forces|troops))|"
                    r"enem(?:y|ies))\b", re.IGNORECASE)
_SIDE_OF = re.compile(r"\b(Russia\w*|Moscow|Kremlin)\b|\b(Ukrain\w*|Kyiv|Zelensk\w*)\b")
_ATTACKED_OBJECT = re.compile(r"\b(?:attack\w*|assault\w*|storm\w*|shell\w*|struck|hit)\s+"
                              r"(?:(?:the|their|our|enemy|Ukrainian|Russian)\s+)?$", re.IGNORECASE)
_REPELLED = re.compile(r"\b(?:repel\w*|repuls\w*|beaten (?:off|back)|beat (?:off|back)|"
                       r"fended off|held off|thwarted)\b", re.IGNORECASE)
# "Russian assaults", "Russian ground assaults", "Ukrainian units had advanced"
_NEXT_TO_CUE = re.compile(r"\s+(?:(?:forces|troops|units|soldiers|marines|army)\s+"
                          r"(?:had|have|has|were|was)\s+|[\w-]+\s+)?")
_SIDE_AFTER = re.compile(r"\s+by\s+(?:the\s+)?(?:(Russian)|(Ukrainian))\b")
# A side that held the place, not one that fought for it: "which Russian
# forces had held", "held by Russian troops" (the words before the side, and
# after it).  Its fight, if no other side is named, is the other side's.
_HOLDING = r"(?:held|occupied|controlled|seized|captured|holds|occupies|controls)"
_HELD_BY = re.compile(rf"\b{_HOLDING}\s+(?:\w+\s+){{0,2}}?by\s+(?:the\s+)?$", re.IGNORECASE)
_HOLDS = re.compile(rf"\s+(?:forces|troops|units|soldiers|army)?\s*(?:had|has|have)?\s*"
                    rf"(?:long\s+|since\s+)?{_HOLDING}\b", re.IGNORECASE)
_WHICH = re.compile(r"\b(?:which|that|where|whom)\s+(?:the\s+)?$", re.IGNORECASE)
_TOOK = re.compile(_TOOK_WORDS, re.IGNORECASE)
# An attack repelled in the air: "air defence repelled another attack".
_IN_THE_AIR = re.compile(r"\bair defen[cs]es?\b|\bdrones?\b|\bmissiles?\b|\bshot down\b|"
                         r"\bintercept\w*", re.IGNORECASE)
# Words before an event's cue that say it did not happen: "did not make any
# confirmed advances", "no attacks" (not "it was not clear how many drones
# struck", "has never stopped shelling").
_NEGATED = re.compile(r"\b(?:did|does|do|has|have|had|was|were|is|are)(?:\s+not|n['’]t)\s+"
                      r"(?:(?:make|made|carry out|carried out|launch|launched|conduct|conducted|"
                      r"see|seen|observe|observed|record|recorded|report|reported)\s+)?"
                      r"(?:any\s+)?(?:(?:confirmed|new|further|significant)\s+)?$|"
                      r"\bno\s+(?:(?:confirmed|new|further|significant)\s+)?$", re.IGNORECASE)
# Words before a cue that say it may happen, not that it did.
_HYPOTHETICAL = re.compile(r"\b(?:should|would|could|might|must)\s+(?:\w+\s+)?(?:be\s+)?$|"
                           r"\ballow(?:s|ed|ing)?\s+(?:\w+\s+){1,2}to\s+$|"
                           r"\b(?:permission|approval|green\s+light|ability|right)\s+to\s+$",
                           re.IGNORECASE)
# Where forces head for ("pressing on towards Kupiansk"): not yet taken.
_TOWARDS = re.compile(r"\btowards?\s+(?:the\s+)?$", re.IGNORECASE)
# A place that only gives the bearing of the one named just before it
# ("captured Kotlyne, west of Pokrovsk", "Pobeda, 10 km west of
# Avdiivka", "liberated Novoocheretuvate, near Pokrovsk"): the event is at
# the first.  Alone ("advanced west of
# Toretsk") it is where the fighting was near.
_BEARING_OF_PLACE = re.compile(
    r"[A-Z][\w'’-]+,\s+(?:(?:about|some|just|around)\s+)?(?:\d+\s*(?:km|kilometres|kilometers|"
    r"miles)\s+)?(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of|near|outside|"
    r"close\s+to)\s+(?:the\s+)?$")
# ... nor does a town named to say where a named site is ("the
# Zaporizhzhia nuclear power plant near Enerhodar"); a site with no name
# of its own ("a gas site near Stryi") leaves the event at the town.
_SITE_NEAR = re.compile(
    r"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*(?:\s+(?:nuclear|power|hydroelectric|hydro|thermal|"
    r"air|naval|oil|Nuclear|Power|Hydroelectric|Thermal|Air|Naval|Oil))*\s+"
    r"(?i:plant|station|dam|bridge|airport|base|airfield|refinery)\s+"
    r"(?:near|outside)\s+(?:the\s+(?:town|city|village)\s+of\s+)?$")
# A place named as a bearing for another ("west of Avdiivka").
_DIRECTION_OF = re.compile(r"\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of\s+$",
                           re.IGNORECASE)
# "... repelled Russian attacks": a strike's word, read as fighting there.
_ATTACKED = re.compile(rf"attack\w*|{_ATTACK_WORDS}", re.IGNORECASE)

# Who says so: "X said", "said X", "according to X", "X denied".
_SPEECH = (r"said|says|say|told|tells|reported|reports|claimed|claims|announced|announces|"
           r"confirmed|confirms|stated|wrote|warned|added|denied|denies|rejected|accused")
# "dismissed that claim as fake": a source denying, though not a court
# dismissing "all claims" nor "Claims dismissed in ..." of a headline.
_DISMISSES = (r"dismiss(?:ed|es)(?=\s+(?:the|that|this|these|those|such|Ukraine['’]s|"
              r"Russia['’]s|Kyiv['’]s|Moscow['’]s|Ukrainian|Russian)\s+(?:\w+\s+)?"
              r"(?:claims?|reports?|allegations?|accusations?)\b)")
# "... said it had pushed", "said its troops": the source speaks of its own.
_OF_ITS_OWN = re.compile(rf"\s*,?\s+(?:\w+\s+){{0,2}}?(?:{_SPEECH})\s+"
                         r"(?:(?:on|late|early)\s+\w+\s+)?(?:that\s+)?"
                         r"(?:it|they|its|their|we|our)\b", re.IGNORECASE)
_DENIAL = re.compile(r"\b(?:denied|denies|rejected|dismissed)\b", re.IGNORECASE)
# A denial's source that then asserts ("denied targeting civilians and said
# its forces struck military sites in Odesa"), and a denial set after the
# claim it disputes ("captured Kotlyne, a claim Kyiv denied").
_AND_SAID = re.compile(r"\band\s+(?:said|says|claimed|added|insisted)\b", re.IGNORECASE)
_AND_DENIED = re.compile(r"\band\s+(?:denied|denies|rejected)\b", re.IGNORECASE)
_A_CLAIM = re.compile(r"\b(?:a|the)\s+claims?\s+(?:that\s+|which\s+)?$", re.IGNORECASE)
# A denial in other words, of the places named inside it: "said Russian
# claims about Robotyne were 'pure propaganda'".
_DISMISSED = re.compile(r"\bclaims?\b.{0,60}?\b(?:were|was|are|is|as)\s+[\"“'‘]?"
                        r"(?:pure\s+|simply\s+|just\s+|completely\s+)?"
                        r"(?:Russian\s+|Ukrainian\s+|Kremlin\s+|enemy\s+)?"
                        r"(?:propaganda|false|fake|lies|"
                        r"untrue|not true|fabricat\w*|baseless|groundless)\b", re.IGNORECASE)
_NAME_WORD = r"[A-Z][\w'’.-]*"
_ROLE_WORD = (r"(?:[A-Z][\w'’.-]*|officials?|authorities|ministry|spokesm[ae]n|"
              r"spokeswoman|mayor|governor|president|minister|military|army|police|"
              r"intelligence|government|command|forces|staff|sources?|officers?|"
              r"residents?|witness(?:es)?|analysts?|agency|administration|senior|local|"
              r"regional|city|state|defen[cs]e|foreign|deputy|head|the|of|in|and|for|"
              r"air|force|navy|guard|armed|service|services|office|council|general|"
              r"operational|border|emergency|region|oblast|district|brigades?|battalions?|"
              r"regiments?|commanders?|units?|corps|division|marines|soldiers|troops|"
              r"spokesperson|press|team|groups?|a|an|"
              # "a Ukrainian brigade operating near Pokrovsk stated"
              r"operating|stationed|serving|deployed|near)")
_AFTER = re.compile(rf"\b(?:{_SPEECH})\s+((?:{_ROLE_WORD}\s+){{0,8}}?{_ROLE_WORD})"
                    r"(?=\s*(?:[,.;:!?”’\"]|$|\bthat\b|\bon\b|\bin a\b))")
# ... not the noun: "Russian claims about Robotyne were false", "reports of"
# ("the governor said of the attack" is the verb).
_BEFORE = re.compile(rf"((?:{_ROLE_WORD}[ ]){{0,7}}{_ROLE_WORD})\s+"
                     r"(?:(?:also|further|later|earlier|separately|previously)\s+)?"
                     rf"(?:{_SPEECH}|{_DISMISSES})\b"
                     r"(?!(?:(?<=claims)|(?<=reports))\s+(?:about|of|were|are|was|is)\b)")
# A title and a name set off by commas, in either order: "the governor of
# the Dnipropetrovsk region, Serhiy Lysak, said" / "Serhiy Lysak, the
# governor of the region, said".  One of the two must hold an office word.
_APPOSED = re.compile(rf"((?:{_ROLE_WORD}[ ]){{0,8}}{_ROLE_WORD}),[ ]((?:{_ROLE_WORD}[ ]){{0,8}}"
                      rf"{_ROLE_WORD}),\s+(?:{_SPEECH}|{_DISMISSES})\b")
_OFFICE = re.compile(r"\b(?:officials?|authorities|ministry|minister|spokes\w+|mayor|governor|"
                     r"brigade|commander|"
                     r"president|army|military|police|intelligence|government|command|staff|"
                     r"head|chief|general|council|administration|agency|service)\b",
                     re.IGNORECASE)
# What a claim rests on, not who makes it ("according to geolocated
# footage"): the publisher reports it.
_EVIDENCE = re.compile(r"(?:(?:the|new|geolocated|satellite|social media|combat|drone|its|"
                       r"morning|evening|daily|latest)\s+)*"
                       r"(?:footage|videos?|images?|imagery|photos?|photographs?|data|reports?|"
                       r"analysis|summary|statement|bulletin|update|briefing)\b", re.IGNORECASE)
# "According to" is followed by the source and then punctuation: any words.
_ACCORDING = re.compile(r"\baccording to\s+((?:[\w'’.-]+\s+){0,7}?[\w'’.-]*\w)(?=[,;:!?]|\.?$|\.\s)",
                        re.IGNORECASE)
# A capital that speaks or acts as its government: "Moscow denied it",
# "Kyiv has not commented", "Washington's envoy", "engage Moscow", "days
# after Moscow suffered a setback".  Nothing happened there.  A capital is
# the city itself only where the words around it say where: "in Kyiv",
# "drones hit Moscow", "Kyiv's metro", "Kyiv was struck", "Kyiv, Kharkiv".
_PLACE_BEFORE = re.compile(
    r"\b(?:in|at|to|from|near|over|on|into|onto|outside|around|across|towards?|through|"
    r"above|inside|within|of|hit|hits|struck|strikes?|attack(?:ed|s|ing)?|target(?:ed|s|ing)?|"
    r"shell(?:ed|ing)|bomb(?:ed|ing)|rocked|shook|pound(?:ed|ing)|against|visit(?:ed|ing|s)?|"
    r"entered|reached|left|fled|evacuated|(?-i:[A-Z])[\w'’-]+,?\s+and)\s+(?:the\s+)?"
    r"(?:(?:city|capital|centre|center|outskirts|suburbs?|streets?|skies|sky|heart|"
    r"downtown|central|western|eastern|northern|southern|north|south|east|west)\s+(?:of\s+)?)*$",
    re.IGNORECASE)
_PLACE_AFTER = re.compile(
    r"(?i:\s*(?:['’]s\s+)?(?:region|oblast|city|mayor|metro|airports?|centre|center|residents?|"
    r"people|streets?|suburbs?|outskirts|districts?|skies|power|apartments?|buildings?|"
    r"railway|station|infrastructure|(?:was|were|has been|had been|is|came)\s+"
    r"(?:hit|struck|attacked|shelled|targeted|rocked|shaken|bombed|pounded|under))\b)"
    r"|\s*(?:,|\band\b)\s+[A-Z]")
_VOICE_AFTER = re.compile(
    r"(?:['’]s\s+(?:\w+\s+)?(?:government|officials?|envoys?|ambassadors?|diplomats?|"
    r"leadership|position|response|claims?|allies|war|invasion|forces|troops|army|military)\b"
    r"|,?\s+(?:(?:has|have|had|did|does|was|is|also)\s+(?:not\s+|also\s+|yet\s+|long\s+)?)?"
    r"(?:said|says|say|denied|denies|deny|claimed|claims|warned|warns|accused|accuses|"
    r"insisted|insists|rejected|rejects|responded|responds|replied|announced|made no|"
    r"makes no|commented|comment|declined|condemned|condemns|blamed|blames|vowed|vows|"
    r"threatened|threatens|dismissed|dismisses|demanded|demands|urged|urges|"
    r"retaliated|retaliate|insist|reject|blame|called|calls|described|describes|branded|"
    r"brands|labell?ed|hailed|welcomed|welcomes|praised|criticised|criticized)\b)",
    re.IGNORECASE)
# Where weapons came from is not where they struck: "drones launched from
# the Black Sea struck Odesa" is a strike at Odesa only.
# ("fired from occupied Crimea", "launched from Russia's Kursk region and
# from Primorsko-Akhtarsk", "launched from the Primorsko-Akhtarsk area in
# Russia's Krasnodar region", "fired from aircraft over the Belgorod region")
_ORIGIN_ADJ = (r"(?:(?:occupied|annexed|Russian-occupied|Russian|Russia['’]s|Belarusian|"
               r"Belarus['’]s|northern|southern|eastern|western|central)\s+)?")
_ORIGIN_HEAD = (r"\b(?:from\s+the\s+direction\s+of|"
                r"(?:launched|fired|flying|flew|took off|coming|came|sent)\s+from|"
                # "launched 90 Shahed-type drones from Kursk"
                r"(?:launched|fired|sent)\s+(?:[\w-]+\s+){1,4}?from|"
                r"(?:launched|fired)\s+(?:from\s+(?:[\w-]+\s+)?(?:aircraft|planes|jets|bombers|"
                r"ships|warships|submarines)\s+)?over)\s+"
                r"(?:the\s+)?(?:direction of\s+(?:the\s+)?)?")
# ... then further places of the same list, or the region the first is in:
# names (capitalised) and the words for areas, never a verb ("launched from
# Crimea and Russia struck Odesa and Kherson": Kherson was struck).
_ORIGIN_WORD = r"(?:(?-i:[A-Z])[\w'’-]*|area|region|district|oblast|province|krai)"
_ORIGIN_LINK = (rf"{_ORIGIN_WORD}(?:\s+{_ORIGIN_WORD}){{0,3}}"
                r"(?:,\s+(?:(?:and|or)\s+(?:from\s+)?)?|\s+(?:(?:and|or)\s+(?:from\s+)?|in\s+))"
                r"(?:the\s+)?")
_ORIGIN_BEFORE = re.compile(rf"{_ORIGIN_HEAD}{_ORIGIN_ADJ}(?:{_ORIGIN_LINK}{_ORIGIN_ADJ}){{0,4}}$",
                            re.IGNORECASE)
# How far before a place its launch words may stand (two places of a list).
_ORIGIN_REACH = 100
# A front sector named for a town ("on the Kupiansk direction", "in the
# Pokrovsk sector"): the fighting is at the villages the sentence lists, not
# in the town.
# ... or of several ("the Pokrovsk and Kurakhove directions").
_SECTOR_AFTER = re.compile(r"(?:(?:,\s+|,?\s+and\s+)[A-Z][\w'’-]+)*\s+(?i:directions?|sectors?|"
                           r"ax[ie]s|fronts?(?![- ]?lines?\b)|salients?)\b")
# A unit named for a place ("the Vostok group of forces", "the Black Sea
# Fleet"): no place of the report's.
_UNIT_AFTER = re.compile(r"\s+(?:(?i:group|grouping)\s+of\s+(?i:forces|troops)|Fleet|Flotilla|"
                         r"(?i:operational[- ]strategic\s+group))\b")
# Where someone spoke or is based, or a capital asked for comment ("told
# reporters in Brussels", "the Institute for the Study of War, based in
# Washington", "no comment from Moscow"): nothing happened there.
_BACKDROP_BEFORE = re.compile(
    r"\b(?:told\s+(?:reporters|journalists|a\s+news\s+conference|a\s+press\s+conference|"
    r"a\s+briefing|a\s+meeting|parliament|lawmakers)\s+in|"
    r"(?:said|says|spoke|speaking)\s+(?:(?:on|late|early)\s+\w+\s+)?in|"
    r",\s+(?:based|headquartered)\s+in|(?:comment|response|reaction|word)\s+from)\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE)
_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "who", "which", "this", "that"}
_STOP_EDGE = {"the", "of", "in", "and", "for", "a", "an", "on", "as", "also", "near", "operating",
              "stationed", "serving", "deployed"}

_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9  # "Sept 15", as wire datelines write it
_MONTH = r"(?:{})\.?".format("|".join(sorted(_MONTHS, key=len, reverse=True)))
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?[ /.-]({_MONTH})(?:[ /.,-]+(\d{{4}}))?\b",
                             re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?",
                             re.IGNORECASE)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
# The words before the day someone spoke on: "said on Thursday".
_SPOKEN_ON = re.compile(rf"\b(?:{_SPEECH})(?:\s+(?:in|on|to)\s+(?:a\s+|the\s+)?[\w-]+"
                        r"(?:\s+[\w-]+)?|\s+\w+)?\s+(?:on\s+|late\s+|early\s+)?$")
# ("said in a statement on Wednesday", "wrote on Telegram on Wednesday")
SPOKEN_DAY = re.compile(rf"(?:{_SPEECH})\b.*", re.IGNORECASE)  # such a date's basis
_WEEKDAY = re.compile(r"\b({})\b".format("|".join(n.capitalize() for n in _WEEKDAYS)))
# A month without a day, as background ("captured it in May 2023", "withdrew
# in December", "in mid-May"): full names, capitalised, after a word that
# puts the event in that month ("since December", "by March" do not).
_IN_MONTH = re.compile(r"\b(?:(?i:in|during)\s+(?:(?i:early|late)\s+|(?i:mid-)\s*)?|"
                       r"(?i:early|late)\s+|(?i:mid-)\s*)({})(?:\s+(\d{{4}}))?\b"
                       .format("|".join(n for n in calendar.month_name if n)))
_RELATIVE = re.compile(r"\b(yesterday|today|tonight|this morning|last night|overnight|"
                       r"last week|this week|(?:in )?the past week|last month|earlier this week|"
                       r"(?<!later )(?<!next )(?:earlier )?this month)\b",
                       re.IGNORECASE)

_SENTENCE_END = re.compile(r"(?<=[.!?])[”’\"')\]]*\s+(?=[“‘\"'(\[]?[A-Z0-9])|\n\s*\n|\n")
_PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t]*\r?\n\s*")
# Characters of distance one step down EVENTS is worth: the nearest cue
# wins, unless a stronger one is nearly as near.
_RANK_CHARS = 10


@dataclass(frozen=True)
class Guess:
    """What a mention's sentence says happened there, who says so, and when."""

    event: str                # one of EVENTS
    cue: str                  # the words the event rests on ("" for a mere mention)
    claimant: str             # who the sentence attributes it to ("" if nobody)
    stance: str               # "asserts" or "denies"
    date: str                 # ISO date or "start/end" interval, "" if the text gives none
    date_basis: str           # the words the date rests on
    sentence: tuple[int, int]  # the sentence's offsets
    weapon: str = ""          # for a strike, one of WEAPONS when its clause names one
    # Named only aside: as a capital standing for its government ("Moscow
    # denied"), in a claimant's title, in the dateline, or as where weapons
    # were launched from.
    aside: bool = False
    side: str = ""            # for fighting, "Russian" or "Ukrainian" when the clause says who
    action: str = ""          # for fighting: "took", "attacked", or "" for fighting as such
    denied_by: str = ""       # another source in the sentence that denies it
    # For fighting whose side is only "the enemy" and the sentence does not
    # say whose: the enemy of the source found later (see enemy_of).
    enemy: bool = False


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the text's paragraphs: blocks between blank lines, stripped.

    A text with single line breaks only (many pasted reports) is split at
    each line instead.

    >>> paragraphs("One.\\n\\nTwo, still two.\\n")
    [(0, 4), (6, 21)]
    """
    breaker = _PARAGRAPH_BREAK if _PARAGRAPH_BREAK.search(text) else re.compile(r"\r?\n\s*")
    spans, start = [], 0
    for match in [*breaker.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[start:end]
        if chunk.strip():
            left = start + len(chunk) - len(chunk.lstrip())
            spans.append((left, start + len(chunk.rstrip())))
        start = match.end() if match else end
    return spans


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the text's sentences (a line break always ends one)."""
    spans, start = [], 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end() if match else end
    return spans


def containing(spans: list[tuple[int, int]], offset: int) -> int:
    """Index of the span holding ``offset`` (or the last one starting before it)."""
    return max(bisect_right(spans, (offset, math.inf)) - 1, 0)


def report_date(text: str) -> dt.date | None:
    """The first full date in the report's opening lines (its dateline), if any."""
    head = "\n".join(text.splitlines()[:15])
    found = [d for d, _ in _absolute_dates(head, year=None)]
    return found[0] if found else None


def dateline_day(text: str, today: dt.date) -> dt.date | None:
    """The day of a dateline that gives no year ("KYIV, March 3 (Reuters) -"),
    in the latest year that does not put it after ``today``: wire reports
    leave the year out."""
    for line in text.splitlines()[:15]:
        dateline = _DATELINE_START.match(line)
        if not dateline:
            continue
        for year in (today.year, today.year - 1):
            found = [d for d, _ in _absolute_dates(dateline.group(0), year=year) if d <= today]
            if found:
                return found[0]
    return None


def _absolute_dates(sentence: str, *, year: int | None):
    """(date, words) for each calendar date in ``sentence``; a date without a
    year takes ``year`` (none: skipped)."""
    out = []
    for match in _ISO.finditer(sentence):
        out.append((match.start(), _date(match.group(1), match.group(2), match.group(3)),
                    match.group(0)))
    for match in _NUMERIC.finditer(sentence):  # 16/11/2022: day first, as outside the US
        out.append((match.start(), _date(match.group(3), match.group(2), match.group(1)),
                    match.group(0)))
    for match in _DAY_MONTH_YEAR.finditer(sentence):
        month = _MONTHS[match.group(2).rstrip(".").lower()]
        out.append((match.start(), _date(match.group(3) or year, month, match.group(1)),
                    match.group(0)))
    for match in _MONTH_DAY_YEAR.finditer(sentence):
        month = _MONTHS[match.group(1).rstrip(".").lower()]
        out.append((match.start(), _date(match.group(3) or year, month, match.group(2)),
                    match.group(0)))
    return [(d, words) for _, d, words in sorted(out, key=lambda t: t[0]) if d is not None]


def _date(year, month, day) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None


@functools.lru_cache(maxsize=256)  # every place of a sentence asks for its date
def event_date(sentence: str, report: dt.date | None) -> tuple[str, str]:
    """The date ``sentence`` gives for its event, and the words it rests on.

    Weekdays and "yesterday" count back from the report's date; a date
    after the report's is not an event the report can tell of, so a weekday
    is always the latest one on or before it.
    """
    dates = _absolute_dates(sentence, year=report.year if report else None)
    dates = [(d, w) for d, w in dates if report is None or d <= report]
    if dates:
        return dates[0][0].isoformat(), dates[0][1]
    if report is None:
        return "", ""
    def weekday(match: re.Match, words: str) -> tuple[str, str]:
        back = (report.weekday() - _WEEKDAYS[match.group(1).lower()]) % 7
        return (report - dt.timedelta(days=back)).isoformat(), words

    # "Officials said on Thursday" is when they spoke: the event's day only
    # if the sentence gives no other.
    spoken = None
    for match in _WEEKDAY.finditer(sentence):
        speech = _SPOKEN_ON.search(sentence, max(0, match.start() - 60), match.start())
        if speech is None or sentence.startswith(("'s", "’s"), match.end()):
            return weekday(match, match.group(0))  # ("said Wednesday's strike killed")
        spoken = spoken or (match, sentence[speech.start():match.end()])
    match = _RELATIVE.search(sentence)
    if match:
        words = match.group(1).lower()
        if words == "yesterday" or words == "last night":
            return (report - dt.timedelta(days=1)).isoformat(), match.group(0)
        if words in ("today", "tonight", "this morning", "overnight"):
            return report.isoformat(), match.group(0)
        if words == "last month":
            first = report.replace(day=1) - dt.timedelta(days=1)
            return f"{first:%Y-%m}", match.group(0)
        if words.endswith("this month"):  # the month's days up to the report
            return f"{report.replace(day=1)}/{report}", match.group(0)
        # last week, this week, the past week: the seven days up to the report
        return f"{report - dt.timedelta(days=7)}/{report}", match.group(0)
    match = _IN_MONTH.search(sentence)
    if match:
        month = _MONTHS[match.group(1).lower()]
        year = int(match.group(2)) if match.group(2) else (
            report.year if month <= report.month else report.year - 1)  # the latest such month
        if (year, month) <= (report.year, report.month):
            return f"{year:04d}-{month:02d}", match.group(0)
    if spoken:
        return weekday(*spoken)
    return "", ""


def _trim(phrase: str) -> str:
    words = phrase.split()
    while words and words[0].lower() in _STOP_EDGE:
        words.pop(0)
    while words and words[-1].lower() in _STOP_EDGE:
        words.pop()
    return " ".join(words).strip(" ,.;:")


def claimant(sentence: str) -> tuple[str, str]:
    """Who ``sentence`` says the words come from, and whether they deny them.

    >>> claimant("Strikes hit Kharkiv, city officials said.")
    ('city officials', 'asserts')
    >>> claimant("The Russian government denied any responsibility.")
    ('Russian government', 'denies')
    >>> claimant("Drones hit Izmail, the governor of Odesa region said.")
    ('governor of Odesa region', 'asserts')
    """
    who, _span, stance = _claim(sentence)
    return who, stance


@functools.lru_cache(maxsize=256)
def _attributions(sentence: str) -> tuple[tuple[int, int, str, str], ...]:
    """Every attribution in ``sentence``, in the order they appear: the span
    naming the source, who, and its own stance ("denies" when its verb is a
    denial).  Kept for the sentence's other places, and for the denial a
    place's claim looks for."""
    found = []
    for pattern in (_ACCORDING, _AFTER, _BEFORE):
        for match in pattern.finditer(sentence):
            who = _trim(match.group(1))
            # "said Russian forces, which held Kupiansk, took Synkivka": the
            # words after "said" are the subject of what was said, as the
            # verb after the relative clause shows ("said the mayor, who was
            # there." names the speaker).
            subject = pattern is _AFTER and _SUBJECT_AFTER.match(sentence, match.end(1))
            # "Moscow said it struck Odesa and denied targeting civilians":
            # a verb after "and" has the sentence's subject, not "Odesa".
            if pattern is _BEFORE and match.group(1).split()[-1].lower() == "and":
                continue
            if who and who.split()[0].lower() not in _PRONOUNS and any(
                    c.isalpha() for c in who) and not _EVIDENCE.match(who) and not subject:
                found.append((match.start(1), match.end(1), who, match.group(0)))
    for match in _APPOSED.finditer(sentence):
        title, name = _trim(match.group(1)), _trim(match.group(2))
        if title and name and _OFFICE.search(f"{title} {name}"):
            found.append((match.start(1), match.end(2), f"{title}, {name}", match.group(0)))
    return tuple(sorted((s, e, who, "denies" if _DENIAL.search(words) else "asserts")
                        for s, e, who, words in found))


def _claim(sentence: str, at: int | None = None,
           clause: tuple[int, int] | None = None) -> tuple[str, tuple[int, int], str]:
    """The claimant, the span of the words naming them, and the stance.

    Of several attributions, for a place at offset ``at`` in ``clause``:
    one in the place's own clause, the nearest ("X was shelled, according
    to local officials, and the army said Y": local officials for X, the
    army for Y); one in another clause lends its source but not its denial
    ("Kyiv denied A, while Moscow said nothing of B": B is not denied).
    Without a place, the one nearest the sentence's end, which governs it
    in news style ("..., officials said.")."""
    found = _attributions(sentence)
    if not found:
        # A denial without a source we can name ("it has been denied").
        return "", (0, 0), "denies" if _DENIAL.search(sentence) else "asserts"
    if at is None or clause is None:
        start, end, who, stance = max(found, key=lambda t: t[0])
        return who, (start, end), stance
    # In a text pasted as one endless sentence, only the sources within a
    # few thousand characters are looked at (if any are).
    found = found[bisect_left(found, (at - _FAR,)):bisect_left(found, (at + _FAR,))] or found
    inside = [t for t in found if clause[0] <= t[0] < clause[1] or clause[0] < t[1] <= clause[1]]
    # Another clause's denial is no source for this one ("Russian troops took
    # Avdiivka, but Ukraine's army denied it"): see other_denial.
    near = inside or [t for t in found if t[3] == "asserts"]
    if not near:
        return "", (0, 0), "asserts"
    start, end, who, stance = min(near, key=lambda t: (max(t[0] - at, at - t[1], 0), -t[0]))
    return who, (start, end), stance


def other_denial(sentence: str, who: str, after: int = 0) -> str:
    """Who else in ``sentence`` denies it ("Russia said it took Krynky,
    while Kyiv denied it"): the first denying source other than ``who``
    from offset ``after`` (the end of the place's clause) on.  A denial
    looks back: one in an earlier clause denies that clause's claim.

    >>> other_denial("Russia said it took Krynky, while Kyiv denied it.", "Russia")
    'Kyiv'
    """
    return next((w for s, _e, w, stance in _attributions(sentence)
                 if stance == "denies" and w != who and s >= after), "")


# A source named by a pronoun or by its document ("it added", "he said",
# "the summary said"): whoever the sentence before named.
_SOURCE_BEFORE = re.compile(
    rf"\b(?:(?:it|he|she|they)|the\s+(?:summary|statement|bulletin|update|post|"
    rf"release|briefing))\s+(?:also\s+)?(?:{_SPEECH})\b|"
    rf"\b(?:{_SPEECH}|according\s+to)\s+(?:it|he|she|they|the\s+(?:summary|statement|"
    rf"bulletin|update|post|release|briefing))\b", re.IGNORECASE)


@functools.lru_cache(maxsize=64)  # asked once for each place of the sentence
def _looks_back(sentence: str) -> bool:
    return bool(_SOURCE_BEFORE.search(sentence))


def neighbour_claim(text: str, spans: list[tuple[int, int]], sentence: tuple[int, int],
                    paragraph: tuple[int, int], elsewhere: Collection[int] = ()
                    ) -> tuple[str, str]:
    """Who a sentence that names nobody is attributed to by its paragraph:
    news puts the source in the next sentence ("Drones hit Odesa. Two
    people were hurt, the governor said."), or in the one before.  Returns
    the claimant and stance ("" when neither neighbour names anyone);
    "denies" when the next sentence denies it.  A sentence whose source is
    a pronoun or a document ("it added", "the summary said") looks back
    first.  A neighbour in ``elsewhere`` (indices into ``spans``) speaks of
    another place, so its source is not this sentence's: "Drones hit Odesa.
    Russia said it had struck Mykolaiv."

    >>> text = "Drones hit Odesa overnight. Two people were hurt, the governor said."
    >>> neighbour_claim(text, sentences(text), (0, 27), (0, len(text)))
    ('governor', 'asserts')
    """
    n = bisect_left(spans, sentence)  # spans are in order: no scan of a long text's list
    # "..., it added.": the source is the one before, whatever comes next,
    # whichever place it spoke of and though a wire story gives each
    # sentence a paragraph of its own; one that says "the summary said" in
    # turn is the one before that.
    back = _looks_back(text[sentence[0]:sentence[1]])
    if back:
        for other in range(n - 1, max(n - 4, -1), -1):
            who, _span, stance = _claim(text[spans[other][0]:spans[other][1]])
            if who and stance == "asserts":
                return who, stance
            if not _looks_back(text[spans[other][0]:spans[other][1]]):
                break
    for other in ((n - 1, n + 1) if back else (n + 1, n - 1)):
        if (0 <= other < len(spans) and paragraph[0] <= spans[other][0] < paragraph[1]
                and (other not in elsewhere or (back and other == n - 1))):
            who, _span, stance = _claim(text[spans[other][0]:spans[other][1]])
            # A denial looks back ("A missile struck Lviv. Moscow denied it."),
            # never forward to a sentence it has not seen.
            if who and (stance == "asserts" or other == n + 1):
                return who, stance
    return "", "asserts"


# Where one clause of a sentence ends and another, with its own verb, begins
# ("Troops crossed the Oskil, while drones hit Izmail").
_CLAUSE_BREAK = re.compile(r";\s+|,?\s+(?:while|whereas|but|as|(after|before))\s+(?=\S)")
# ... but "after" a short noun phrase of an attack that names no target of
# its own, told as the cause of harm done at the place, begins no clause:
# "two people were killed in Odesa after a drone attack" tells what
# happened in Odesa; "Zelensky visited Odesa after a missile attack on
# Kharkiv" and "talks resumed in Istanbul after a drone attack" do not.
_ATTACK_PHRASE = re.compile(
    r"(?:(?:a|an|the|another|this|that|its|their|overnight|night-time|heavy|massive|repeated|"
    r"renewed|new|Russian|Ukrainian|missile|drone|rocket|artillery|air)\s+){0,3}"
    r"(?:attacks?|strikes?|shelling|explosions?|blasts?|bombardments?|bombing|barrages?|"
    r"raids?)\b(?!\s+(?:by|on|of|in|at|against|near|across)\b[^,;.]{0,40}?\b[A-Z])")
_HARM = re.compile(r"\b(?:killed|killing|died|dead|wounded|injured|hurt|hospital\w*|"
                   r"evacuated|damaged|destroyed|burn\w*|fires?|blazes?|rubble|debris|"
                   r"(?:without|lost|cut)\s+(?:\w+\s+)?(?:power|electricity|water|heating)|"
                   r"(?:power|electricity)\s+(?:cuts?|outages?)|blackouts?)\b",
                   re.IGNORECASE)
# A dateline: the place a report is filed from, in capitals, then a dash
# ("KYIV, 3 March 2023 - "): where the writer is, not where anything happened.
DATELINE_TAIL = r"(?:,[^\n]{0,50}?)?\s+(?:—|--|–|-)\s"  # recognition finds datelines by it
_DATELINE_AFTER = re.compile(rf"(?:/\s*[A-Z][A-Z .'’-]*)*{DATELINE_TAIL}")
# What may come before a dateline's place on its line: nothing, or the
# other places of a joint one ("MOSCOW/KYIV, January 26 -").
_DATELINE_HEAD = re.compile(r"\s*(?:[A-Z][A-Z .'’-]*/\s*)*")
_DATELINE_START = re.compile(rf"\s*[A-Z][A-Z .'’-]{{1,30}}{DATELINE_TAIL}")


# A relative clause set off by commas ("The bridge, which links the
# peninsula to Russia's Krasnodar region, was damaged"): a place inside it
# is only described there, not struck by the sentence's verb.
_RELATIVE_CLAUSE = re.compile(r",\s+(?:which|who|whose)\b[^,;]*,")
# A name that a relative clause and then a verb of what forces did follow
# is a subject ("said Russian forces, which held Kupiansk, took Synkivka"),
# not who said it ("said the mayor, who was there, adding", "said Ihor
# Terekhov, who is the mayor, early on Sunday").
_SUBJECT_AFTER = re.compile(
    _RELATIVE_CLAUSE.pattern + r"\s+(?:had\s+|have\s+|has\s+)?(?:took|taken|captured|"
    r"seized|retook|recaptured|entered|struck|hit|shelled|attacked|advanced|launched|fired|"
    r"destroyed|withdrew|pushed|repelled|stormed|moved|crossed|broke|were|was|are|is|will|"
    r"would|could|did)\b")


@functools.lru_cache(maxsize=64)
def _dismissal(sentence: str) -> re.Match | None:
    return _DISMISSED.search(sentence)


@functools.lru_cache(maxsize=64)  # found once for all the places of a sentence
def _clauses(sentence: str) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
    """The spans of ``sentence``'s relative clauses, and of its clauses."""
    relatives = tuple((m.start() + 1, m.end() - 1) for m in _RELATIVE_CLAUSE.finditer(sentence))
    clauses, start = [], 0
    for match in _CLAUSE_BREAK.finditer(sentence):
        if (match.group(1) and _ATTACK_PHRASE.match(sentence, match.end())
                and _HARM.search(sentence, start, match.start())):
            continue  # "killed in Odesa after a drone attack": one clause
        clauses.append((start, match.start()))
        start = match.end()
    clauses.append((start, len(sentence)))
    return relatives, tuple(clauses)


def _clause(sentence: str, at: int) -> tuple[int, int]:
    """The clause of ``sentence`` holding offset ``at``."""
    relatives, clauses = _clauses(sentence)
    for start, end in relatives:
        if start <= at < end:
            return start, end
    return clauses[max(bisect_right(clauses, (at, math.inf)) - 1, 0)]


def guess_event(text: str, start: int, end: int, *, report_date: dt.date | None,
                sentence_spans: list[tuple[int, int]] | None = None,
                capital: bool = False) -> Guess:
    """The :class:`Guess` for the mention at ``text[start:end]``; ``capital``
    when it names a national capital, which may stand for its government."""
    spans = sentence_spans if sentence_spans is not None else sentences(text)
    s_start, s_end = spans[containing(spans, start)] if spans else (0, len(text))
    sentence = text[s_start:s_end]
    at = start - s_start
    c_start, c_end = _clause(sentence, at)
    who, said_by, stance = _claim(sentence, at, (c_start, c_end))
    dismissed = _dismissal(sentence)
    if who and dismissed and dismissed.start() <= at < dismissed.end():
        stance = "denies"  # "said Russian claims about Robotyne were propaganda"
    if stance == "denies" and _AND_SAID.search(sentence, said_by[1], at):
        stance = "asserts"  # "Moscow denied targeting civilians and said it struck Odesa"
    elif (who and stance == "asserts" and said_by[1] <= at
          and _AND_DENIED.search(sentence, said_by[1], at)
          and not _AND_SAID.search(sentence, _AND_DENIED.search(sentence, said_by[1], at).end(),
                                   at)):
        # "The ministry said it repelled attacks near Glushkovo, and denied
        # that Ukrainian units had advanced towards Korenevo."
        stance = "denies"
    denied_after = ""
    if stance == "denies" and _A_CLAIM.search(sentence, max(0, said_by[0] - 30), said_by[0]):
        # "... had captured Kotlyne, a claim Kyiv denied": the claim is the
        # sentence's other source's, and Kyiv disputes it.
        other = [t for t in _attributions(sentence) if t[3] == "asserts" and t[1] <= at]
        if other:
            denied_after = who
            who, said_by, stance = other[-1][2], (other[-1][0], other[-1][1]), "asserts"
    line_start = text.rfind("\n", 0, start) + 1
    # A place named only in the claimant's title ("the governor of Odesa
    # region said"), in the dateline, as where weapons were launched from,
    # or a capital standing for its government, is where nothing happened.
    # Words before it that say where ("struck Kyiv, said the mayor") win.
    voice = capital and not _PLACE_BEFORE.search(sentence, max(0, at - 40), at) and (
        bool(_VOICE_AFTER.match(text, end)) or not _PLACE_AFTER.match(text, end))
    origin = bool(_ORIGIN_BEFORE.search(sentence, max(0, at - _ORIGIN_REACH), at))
    backdrop = bool(_SECTOR_AFTER.match(text, end) or _UNIT_AFTER.match(text, end)
                    or _BACKDROP_BEFORE.search(sentence, max(0, at - 60), at)
                    or _BEARING_OF_PLACE.search(sentence, max(0, at - 60), at)
                    or _SITE_NEAR.search(sentence, max(0, at - 80), at))
    named_only = (voice or origin or backdrop or said_by[0] <= at < said_by[1]
                  or (bool(_DATELINE_HEAD.fullmatch(text, line_start, start))
                      and text[start:end].isupper() and bool(_DATELINE_AFTER.match(text, end))))
    best = None
    # Words further than _REACH from the place say nothing of it; so a text
    # pasted as one endless sentence still drafts in linear time.
    near = (max(c_start, at - _REACH), min(c_end, at + (end - start) + _REACH))
    armed = bool(_weapon(sentence, at, *near))  # a weapon named near the place
    and_verb = _AND_VERB.match(sentence, at + (end - start))
    elsewhere_verb = bool(and_verb) and bool(_PLACE_AHEAD.search(sentence, and_verb.end(), c_end))
    for rank, event in enumerate(EVENTS[:-1] if not named_only else ()):
        for match in _CUE_RE[event].finditer(sentence, *near):
            if match.start() <= at < match.end():
                continue  # the place's own name ("Strike" is no village)
            if said_by[0] <= match.start() < said_by[1]:
                continue  # "the air force said": a title, not fighting
            if _NEGATED.search(sentence, max(c_start, match.start() - 40), match.start()):
                continue  # "forces did not make any confirmed advances near Bakhmut"
            if _HYPOTHETICAL.search(sentence, max(c_start, match.start() - 40), match.start()):
                continue  # "allies should allow Ukraine to strike launch sites in Belgorod"
            if event == "front_line" and _ATTACKED_OBJECT.search(
                    sentence, max(c_start, match.start() - 40), match.start()):
                continue  # "attacked Ukrainian positions": the fight's object, no line
            distance = min(abs(match.start() - at), abs(match.end() - (at + end - start)))
            # Attacks repelled on the ground rank as the fighting they are
            # ("repelled attacks near Robotyne and advanced near Avdiivka":
            # Avdiivka's is the nearer "advanced").
            # So does a bare "attacked" with no weapon in its clause: it may
            # be either ("fighting continued in Chasiv Yar, where Russian
            # forces attacked": the nearer word decides).
            ranked = (EVENTS.index("fighting") if event == "strike"
                      and BARE_ATTACK.fullmatch(match.group(0))
                      and (not armed or _REPELLED.search(
                          sentence, max(c_start, match.start() - 40), match.start()))
                      else rank)
            key = distance + _RANK_CHARS * ranked
            if elsewhere_verb and match.start() >= and_verb.start():
                continue  # "destroyed a depot near Kupiansk and repelled
                # three counterattacks near Synkivka": the verb after "and"
                # and its words are the other place's
            if match.start() >= at + end - start and _AND_THEN.fullmatch(
                    sentence, at + end - start, match.start()):
                # "repelled assaults near Pokrovsk and counterattacked near
                # Avdiivka": a verb after "and" has a place of its own.
                key += _RANK_CHARS * len(EVENTS)
            if best is None or key < best[0]:
                best = (key, event, match.group(0), match.span())
    event, cue = (best[1], best[2]) if best else ("mention", "")
    if event in ("strike", "explosion") and _TALLY.search(sentence) \
            and _PERFECT.search(sentence, c_start, c_end):
        event, cue = "mention", ""  # "since 2022, strikes have killed 140 people in Odesa"
    if (event == "strike" and BARE_ATTACK.fullmatch(cue)
            and (_REPELLED.search(sentence, max(c_start, at - 60), min(c_end, at + 60))
                 or (_REPELLED.search(sentence, max(c_start, best[3][0] - 40), best[3][0])
                     and not _IN_THE_AIR.search(sentence, c_start, c_end)))):
        event = "fighting"  # "an attack towards Vuhledar was beaten off": on the ground
    elif (event == "strike" and BARE_ATTACK.fullmatch(cue)
          and _GROUND_TARGET.match(sentence, best[3][1])):
        event = "fighting"  # "attacked Ukrainian positions six times"
    elif (event == "strike" and BARE_ATTACK.fullmatch(cue)
          and (_GROUND_ATTACK.search(sentence, max(c_start, best[3][0] - 10), best[3][0])
               or _ATTACKED_NEAR.match(sentence, best[3][1])
               or (_NEAR.search(sentence, max(0, at - 120), at)
                   and _FORCES.search(sentence, c_start, best[3][0])
                   and _NO_OBJECT.match(sentence, best[3][1]))
               or _GROUND_ATTACKERS.search(  # not in a source's title ("soldiers said")
                   sentence, max(c_start, said_by[1] if said_by[1] <= best[3][0] else 0),
                   best[3][0]))
          and not _weapon(sentence, at, c_start, c_end)):
        # "Russian troops attacked Bakhmut", "ground attacks near Siversk",
        # "the enemy attacked near Pokrovsk", "near Toretsk, Russian forces
        # attacked": with no weapon in the clause, the attack was on the
        # ground.
        event = "fighting"
    elif (event == "fighting" and _CROSSING.fullmatch(cue)
          and not _MILITARY.search(sentence, c_start, best[3][0])):
        event, cue = "mention", ""  # "refugees made attempts to cross to Moldova"
    # A dateline's date is the report's, not the event's ("KYIV, March 5 -
    # ... said on Saturday").
    dateline = _DATELINE_START.match(sentence)
    date, basis = event_date(sentence[dateline.end():] if dateline else sentence, report_date)
    weapon = (_weapon(sentence, at, *near)
              if event == "strike" and not _MIXED.search(sentence, c_start, c_end) else "")
    side, action = (_fight(sentence, best[3], c_start, c_end, said_by) if event == "fighting"
                    else ("", ""))
    enemy = side == ENEMY
    side = "" if enemy else side
    if _DIRECTION_OF.search(sentence, max(0, at - 30), at):
        action = ""  # "took Pobeda, west of Avdiivka": Avdiivka was not taken, only fought near
    elif action and _TOWARDS.search(sentence, max(0, at - 20), at):
        action = "attacked"  # "took Pishchane and were pressing on towards Kupiansk"
    return Guess(event=event, cue=cue, claimant=who, stance=stance, date=date,
                 date_basis=basis, sentence=(s_start, s_end), weapon=weapon, aside=named_only,
                 side=side, action=action, enemy=enemy,
                 denied_by=denied_after or (other_denial(sentence, who, c_end)
                                            if stance == "asserts" else ""))


def _fight(sentence: str, cue: tuple[int, int], start: int, end: int,
           said_by: tuple[int, int] = (0, 0)) -> tuple[str, str]:
    """Whose forces fought and what they did, from the fighting cue at
    ``cue`` in the clause ``sentence[start:end]``: the agent after it
    ("taken by Russian forces"), else a side just before it ("Russian
    assaults"), else the clause's first side, its subject ("a Ukrainian
    brigade said it had pushed Russian troops back and recaptured").  The
    source's side (``said_by``) is the fighters' only when it speaks of its
    own: "a Ukrainian commander said Russian troops had captured" is
    Russian, "Ukraine said its troops retook" Ukrainian.

    >>> s = "Ukrainian forces repelled Russian assaults near Robotyne."
    >>> _fight(s, (34, 42), 0, len(s))
    ('Russian', 'attacked')
    """
    words = sentence[cue[0]:cue[1]]
    action = ("took" if _TOOK.search(words) else "attacked" if _ATTACKED.search(words)
              else "")
    agent = _SIDE_AFTER.match(sentence, cue[1], end)
    if agent:
        return SIDES[0 if agent.group(1) else 1], action
    sides = list(_SIDE_RE.finditer(sentence, start, cue[0]))
    holders = [m for m in sides if _holds(sentence, m, start, cue)]
    sides = [m for m in sides if m not in holders]
    before = [m for m in sides if not said_by[0] <= m.start() < said_by[1]]
    if before and _NEXT_TO_CUE.fullmatch(sentence, before[-1].end(), cue[0]):
        return SIDES[0 if before[-1].group(1) else 1], action
    # Otherwise the side found is the clause's subject; if it repelled the
    # attacks ("its forces repelled 14 assaults near Pokrovsk"), the
    # attackers were its enemy.
    repelled = action == "attacked" and bool(
        _REPELLED_CUE.search(sentence, max(start, cue[0] - 40), cue[0]))
    speaker = [m for m in sides if said_by[0] <= m.start() < said_by[1]]
    if speaker and _OF_ITS_OWN.match(sentence, said_by[1]):
        return SIDES[(0 if speaker[0].group(1) else 1) ^ repelled], action
    if before:
        return SIDES[(0 if before[0].group(1) else 1) ^ repelled], action
    if holders and len({bool(m.group(1)) for m in holders}) == 1:
        return SIDES[1 if holders[0].group(1) else 0], action  # the holder's enemy
    enemy = _ENEMY.search(sentence, start, cue[1]) or _ENEMY.search(sentence, cue[1], end)
    if enemy:
        return (SIDES[0] if enemy.group(1) else enemy_of(sentence[said_by[0]:said_by[1]])
                or ENEMY), action
    return "", action


ENEMY = "enemy"  # _fight's side when only "the enemy" says whose, and no source does


def enemy_of(source: str) -> str:
    """The side a source's "enemy" is: Russian for "Ukraine's General
    Staff", "" for a source of neither side ("the mayor").

    >>> enemy_of("Russia's defence ministry"), enemy_of("the city's mayor")
    ('Ukrainian', '')
    """
    side = _SIDE_OF.search(source)
    return "" if side is None else SIDES[1] if side.group(1) else SIDES[0]


def _holds(sentence: str, side: re.Match, start: int, cue: tuple[int, int]) -> bool:
    """Whether the ``side`` named in a clause starting at ``start`` is the
    one holding the place: "held by Russian forces", "which Russian forces
    had held" (but not "Russian forces took it", nor "Russian forces, which
    had held Kupiansk, took it", whose subject is the taker).  The fight's
    own word (``cue``) holds nothing: in "which Russian forces captured on
    Saturday" they are the takers."""
    head_start = max(start, side.start() - 40)
    held_by = _HELD_BY.search(sentence, head_start, side.start())
    if held_by and not cue[0] <= held_by.start() < cue[1]:
        return True
    holds = _HOLDS.match(sentence, side.end())
    return bool(_WHICH.search(sentence, head_start, side.start()) and holds
                and not (holds.start() < cue[1] and cue[0] < holds.end()))


# A strike made with both, "missiles and drones": no one weapon's type.
_MIXED = re.compile(r"\b(?:missiles?|rockets?)\s+and\s+(?:\w+\s+)?(?:drones?|Shaheds?)\b|"
                    r"\b(?:drones?|Shaheds?)\s+and\s+(?:\w+\s+)?(?:missiles?|rockets?)\b",
                    re.IGNORECASE)


def _weapon(sentence: str, at: int, start: int, end: int) -> str:
    """The weapon named nearest offset ``at`` in ``sentence[start:end]``
    ("" if none): in "missiles and drones struck Lviv" the drones."""
    best = None
    for weapon, pattern in _WEAPON_RE.items():
        for match in pattern.finditer(sentence, start, end):
            distance = min(abs(match.start() - at), abs(match.end() - at))
            if best is None or distance < best[0]:
                best = (distance, weapon)
    return best[1] if best else ""


__all__ = ["BARE_ATTACK", "EVENTS", "EVENT_LABELS", "SPOKEN_DAY", "WEAPONS", "Guess", "claimant",
           "containing",
           "dateline_day", "enemy_of", "event_date", "guess_event", "paragraphs", "report_date",
           "sentences"]
