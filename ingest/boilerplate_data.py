"""Data for the cleaning rules: cue phrases, selectors, abbreviations. No logic here.

Patterns are matched case-insensitively against whitespace-normalised text. Keep them
anchored: a cue phrase that matches inside a real sentence would cut content.
"""

from __future__ import annotations

# --- Whole-block boilerplate: a block whose entire text matches one of these is dropped. ---
BOILERPLATE_BLOCK_PATTERNS: tuple[str, ...] = (
    # comment forms (WordPress, Dutch and English)
    r"laat een reactie achter",
    r"geef een reactie",
    r"plaats een reactie",
    r"reageer op dit (artikel|bericht)",
    r"reactie plaatsen",
    r"annuleer reactie",
    r"het e-?mailadres wordt niet gepubliceerd\.?( vereiste velden zijn gemarkeerd met \*?)?",
    r"je e-?mailadres wordt niet gepubliceerd\.?.*",
    r"vereiste velden zijn gemarkeerd met \*?",
    r"mijn naam, e-?mail en (web)?site opslaan in deze browser.*",
    r"(reactie|naam|e-?mail|website)\s*\*?",
    r"leave a (reply|comment)",
    r"your email address will not be published\.?.*",
    r"required fields are marked \*?",
    # share bars
    r"deel (dit|deze) (artikel|bericht|pagina|nieuwsbericht|verhaal)\s*:?",
    r"delen\s*:?",
    r"delen via\s*:?.*",
    r"share( this)?( (article|page|post))?\s*:?",
    r"(linkedin|facebook|twitter|x|whatsapp|e-?mail|print|printen)"
    r"(\s*[|,/]?\s*(linkedin|facebook|twitter|x|whatsapp|e-?mail|print|printen))*",
    # newsletter forms
    r"(schrijf je in|meld je aan|abonneer je) (voor|op) (de|onze) nieuwsbrief.*",
    r"aanmelden( voor de)? nieuwsbrief",
    r"nieuwsbrief",
    r"(je|uw)? ?e-?mailadres\s*\*?",
    r"aanmelden|inschrijven|verzenden|versturen",
    # cookie banners
    r"(wij|we) gebruiken cookies.*",
    r"deze (web)?site (gebruikt|maakt gebruik van) cookies.*",
    r"(alle )?cookies (accepteren|weigeren)",
    r"cookie-?(instellingen|voorkeuren|verklaring)",
    r"accepteren|weigeren|akkoord|ok(é)?",
    # navigation remnants and link-only lines
    r"lees (meer|verder)( »| ›| >|\.\.\.|…)?",
    r"meer (lezen|informatie)( »| ›| >)?",
    r"(« |‹ )?(terug naar (het )?overzicht|naar boven|terug)",
    r"(ga|spring) naar (de )?(inhoud|hoofdinhoud|content)",
    r"selecteer een pagina",
    r"zoeken( …|\.\.\.)?",
    r"menu|home|sluiten|close",
    r"(« |‹ )?(vorige|volgende)( (bericht|artikel|pagina))?( »| ›)?",
    r"(tags|tag|trefwoorden|categorie(ën)?|categories|onderwerpen)\s*:.*",
    r"(lees|bekijk) ook( dit| eens)?\s*:.{0,200}",
    # breadcrumbs: "Home » Nieuws » Titel"
    r"(home|start|homepage|hoofdpagina)\s*[»›>/|•].{0,200}",
    r"(gepubliceerd|geplaatst) (op|door)\s.{0,60}",
    r"laatst (gewijzigd|bijgewerkt)( op)?\s*:?\s.{0,40}",
)

# --- Section cues: a heading matching one of these starts a boilerplate section; the heading
# and every block up to the next heading of the same or a higher level are dropped. ---
BOILERPLATE_SECTION_PATTERNS: tuple[str, ...] = (
    r"lees ook( dit)?\s*:?",
    r"(gerelateerd|gerelateerde) (nieuws|berichten|artikelen|items)\s*:?",
    r"meer (nieuws|berichten|artikelen)( over [\w\s-]+)?\s*:?",
    r"ander(e)? (nieuws|berichten|artikelen)\s*:?",
    r"(bekijk|lees) ook( eens)?\s*:?",
    r"misschien (ook )?interessant( voor jou| voor u)?\s*:?",
    r"related (posts|articles|news)\s*:?",
    r"(laat een reactie achter|geef een reactie|plaats een reactie|reacties|\d+ reacties?)",
    r"(schrijf je in|meld je aan|abonneer je) (voor|op) (de|onze) nieuwsbrief.*",
    r"nieuwsbrief",
    r"deel (dit|deze) (artikel|bericht|pagina)\s*:?",
    r"dit gaat over( de (city|town) deals?)?\s*:?",
    r"deze (city|town) deal",
    r"over deze (city |town )?deal",
)

# Obfuscated e-mail placeholders (Cloudflare, WordPress plugins) and the words that pointed to
# them: "neem contact op met je dealmaker of met [email protected]" -> "... met je dealmaker."
EMAIL_PLACEHOLDER = r"\[\s*(?:email|e-mail)\s+(?:protected|beveiligd)\s*\]|\[\s*e-?mail\s*beveiligd\s*\]"
EMAIL_LEAD_IN = r"(?:\s*,?\s*\b(?:of|en)\s+(?:mail(?:en)?\s+)?(?:naar|met|via|aan|op)?)?"
EMAIL_POINTER = r"(?:\s+(?:mailen\s+)?(?:naar|met|via|aan|op))?"

# --- HTML: elements never holding article text. ---
DROP_TAGS: frozenset[str] = frozenset({
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "button", "input", "select", "option", "textarea", "label", "figcaption", "img", "picture",
    "video", "audio", "source", "map", "head", "title", "meta", "link",
})
# Chrome elements, dropped unless one wraps most of the page's text (ASP.NET puts the whole
# page in one <form>; some themes put the story inside <aside> or <nav> wrappers).
DROP_CHROME_TAGS: frozenset[str] = frozenset({
    "form", "fieldset", "nav", "footer", "aside", "menu", "dialog",
})

# class or id values (regexes, case-insensitive) of chrome containers. Anchored on word
# boundaries of class names ("-", "_" and string ends), so "et_pb_module_header" is not a header.
DROP_CLASS_PATTERNS: tuple[str, ...] = (
    r"cookie", r"consent", r"gdpr", r"cn-(banner|notice)",
    r"(^|[-_])(nav|navbar|navigation|menu|menubar|submenu|sub-menu|top-menu|mobile_nav)($|[-_])",
    r"breadcrumbs?", r"skip-link", r"screen-reader", r"sr-only", r"visually-hidden",
    r"(^|[-_])(share|sharing|sharebar|social|socials)($|[-_])", r"addtoany", r"a2a_",
    r"newsletter", r"nieuwsbrief", r"signup", r"subscribe", r"mailchimp", r"mc4wp",
    r"(^|[-_])(comments?|comment-respond|respond|reply)($|[-_])",
    r"^(site-|main-|page-)?(header|footer|masthead)$", r"(^|[-_])footer($|[-_])",
    r"(^|[-_])(sidebar|widget|widgets|widget-area)($|[-_])",
    r"(^|[-_])(related|gerelateerd|lees-ook|leesook|read-more|more-news|meer-nieuws)($|[-_])",
    r"(^|[-_])(pagination|pager|nav-links|post-navigation)($|[-_])",
    r"(^|[-_])(search|searchform|zoeken)($|[-_])",
    r"(^|[-_])(post-meta|entry-meta|meta-container|title_meta|byline|author-box)($|[-_])",
    r"(^|[-_])(popup|modal|overlay)($|[-_])",
    r"(^|[-_])(tags|tag-links|tagcloud|post-tags|categories)($|[-_])",
)

DROP_ROLES: frozenset[str] = frozenset({
    "navigation", "banner", "contentinfo", "dialog", "alertdialog", "search", "menu",
    "menubar", "complementary",
})

# Block-level HTML elements: each starts a new block; inline content joins the current one.
BLOCK_TAGS: frozenset[str] = frozenset({
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "thead", "tbody",
    "tfoot", "tr", "td", "th", "figure", "address", "hr", "center", "details", "summary",
    "body", "html",
})
HEADING_TAGS: frozenset[str] = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
LIST_TAGS: frozenset[str] = frozenset({"ul", "ol"})

# Elements whose text starts a "this page is about deal X" block, and where deal pages live.
DEAL_ABOUT_CUES: tuple[str, ...] = (
    r"dit (artikel |bericht |nieuws )?gaat over( de)?( (city|town) deals?)?",
    r"deze (city|town) deal",
    r"over deze (city |town )?deal",
    r"(betrokken|gerelateerde) (city |town )?deals?",
)
DEAL_LINK_PATTERN = r"/(city|town)-?deals?/([a-z0-9][a-z0-9-]*)/?$"
DEAL_NAME_PATTERN = r"\b((?:City|Town) Deal\s+[A-Z0-9‘'“\"][^.,;:!?()\n]{2,80})"

# Bylines: "door Marieke van Dalen | 18 juni 2024".
BYLINE_PATTERN = r"^(door|geschreven door|tekst:?|auteur:?|by)\s+(?P<name>[^|•·,\d]{3,60})"

# --- Plain text. ---
# A short line without final punctuation is a heading candidate only below these sizes.
HEADING_MAX_WORDS = 14
HEADING_MAX_CHARS = 100
# The paragraph after a real heading is a real paragraph: at least this many words or two
# sentences. Photo captions in copied web text are followed by a second short caption line.
HEADING_NEXT_MIN_WORDS = 20
LIST_MARKER_PATTERN = r"^\s*(?:[-*•·▪◦–]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+"
PAGE_NUMBER_PATTERN = r"^(pagina|page|blz\.?|p\.)?\s*\d{1,4}(\s*(van|of|/)\s*\d{1,4})?$"

# --- Sentences. ---
# Abbreviations after which a full stop never ends a sentence (lower-case, without final dot).
ABBREVIATIONS_CONTINUE: frozenset[str] = frozenset({
    "bijv", "bv", "bijvoorbeeld", "o.a", "d.w.z", "m.b.t", "i.p.v", "t.o.v", "i.s.m",
    "t.a.v", "m.u.v", "o.l.v", "v.w.b", "i.v.m", "c.q", "z.g", "zgn", "z.g.a.n", "evt",
    "vgl", "nr", "nrs", "ca", "circa", "dhr", "mevr", "mw", "hr", "drs", "dr", "ir", "ing",
    "prof", "mr", "mgr", "st", "sr", "jr", "bc", "lic", "kand", "ds", "p", "pp",
    "pag", "blz", "hfst", "art", "par", "fig", "tab", "incl", "excl", "max", "min",
    "gem", "ong", "vnl", "resp", "tel", "tav", "vs", "e.v", "a.d", "n.a.v", "t.b.v", "m.i",
    "m.n", "i.h.a", "i.h.b", "t.z.t", "z.s.m", "o.b.v", "p.p", "v.d", "mln", "mld", "mrd",
    "jan", "feb", "mrt", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec",
})
# Abbreviations that often end a sentence: a full stop after them ends one only when a
# capital follows ("..., fietsen enz. De volgende stap").
ABBREVIATIONS_MAY_END: frozenset[str] = frozenset({
    "enz", "etc", "e.d", "e.a", "jl", "a.s", "b.v", "n.v", "e.o", "o.i.d", "u.i.t",
})

# --- Language guess: frequent function words. ---
STOPWORDS: dict[str, frozenset[str]] = {
    "nl": frozenset({
        "de", "het", "een", "en", "van", "is", "dat", "op", "te", "in", "voor", "met", "zijn",
        "niet", "aan", "er", "ook", "als", "bij", "om", "naar", "die", "wordt", "worden", "wij",
        "we", "ze", "je", "maar", "deze", "dit", "of", "uit", "door", "over", "hun", "wat",
    }),
    "en": frozenset({
        "the", "and", "of", "to", "is", "that", "for", "with", "on", "are", "as", "be", "this",
        "by", "was", "it", "from", "or", "an", "not", "which", "have", "has", "their", "we",
    }),
    "de": frozenset({
        "der", "die", "und", "das", "ist", "nicht", "mit", "sich", "auf", "für", "dem", "den",
        "ein", "eine", "zu", "von", "auch", "wird", "werden", "sind", "im",
    }),
}

# --- Document type hints: local names of ikgc:doctype-* concepts, from source, title, categories.
DOC_TYPE_CUES: tuple[tuple[str, str], ...] = (
    ("doctype-cop-report", r"community of practice|\bcop\b"),
    ("doctype-evaluation", r"\bevaluatie|\bevaluation|\btussenevaluatie|\beindevaluatie|\bmonitor"),
    ("doctype-deal-text", r"\bdealtekst|\bdeal-?tekst"),
    ("doctype-meeting-report", r"\bverslag\b|\bbijeenkomst|\bslotbijeenkomst|\bwerksessie|\bconferentie"),
    ("doctype-news", r"/nieuws/|/news/|/actueel/|\bnieuws(bericht)?\b"),
)
