//! Reference data: provinces, titles, organisation heads, honorifics, surnames, abbreviations.
//!
//! The data lives in `ontology/` as plain tables and is compiled into the binary; this module
//! parses it once into [`Lexicon`]s. It is shared by the extractor, the resolver and the RDF
//! writer (which also loads it into the store), but holds no stage's logic.

use crate::text::{fold, Lexicon};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// An administrative level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// Tỉnh, or a centrally-run thành phố.
    Province,
    /// A provincial thành phố (Hạ Long, Buôn Ma Thuột).
    City,
    /// Huyện, quận, thị xã.
    District,
    /// Xã, phường, thị trấn.
    Commune,
}

impl Level {
    /// The name used in the facts format and in the ontology (`province`, `city`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::City => "city",
            Level::District => "district",
            Level::Commune => "commune",
        }
    }

    fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "province" => Level::Province,
            "city" => Level::City,
            "district" => Level::District,
            "commune" => Level::Commune,
            _ => return None,
        })
    }
}

/// A province before or after the 2025 merger.
#[derive(Debug, Clone)]
pub struct Province {
    /// Canonical name ("Thanh Hóa").
    pub name: String,
    /// `tỉnh` or `thành phố`.
    pub kind: String,
    /// ISO 3166-2:VN code.
    pub iso: String,
    /// Other spellings.
    pub variants: Vec<String>,
    /// Index of the province it belongs to from 2025-07-01.
    pub successor: usize,
    /// ASCII slug for its IRI.
    pub slug: String,
    /// Its Wikidata item ("Q36685").
    pub wikidata: String,
    /// A name it had before a renaming without merger ("Thừa Thiên Huế", a tỉnh until
    /// 2025-01-01, when it became the city of Huế).
    pub former: Option<FormerName>,
}

/// A province's name before a renaming: the name, its kind, and the first day of the new name.
#[derive(Debug, Clone)]
pub struct FormerName {
    /// The former name ("Thừa Thiên Huế").
    pub name: String,
    /// Its kind then (`tỉnh`).
    pub kind: String,
    /// The first day of the present name (`2025-01-01`).
    pub until: String,
}

impl Province {
    /// True for a centrally-run city (Hà Nội, Hồ Chí Minh, ...).
    pub fn is_city(&self) -> bool {
        self.kind == "thành phố"
    }

    /// The level word written before its name: `tỉnh` or `thành phố`.
    pub fn level_word(&self) -> &str {
        &self.kind
    }

    /// Its name and level word in force on `date` (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`): the
    /// former ones for a date before the renaming, else (and with no date) today's.
    pub fn name_on(&self, date: Option<&str>) -> (&str, &str) {
        match (&self.former, date) {
            // dates of the same form compare as strings; a shorter date is of its first day
            (Some(f), Some(d)) if d < &f.until[..d.len().min(f.until.len())] => (&f.name, &f.kind),
            _ => (&self.name, &self.kind),
        }
    }
}

/// How an organisation head takes what follows it. See `ontology/lexicon/org_heads.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The whole name of one national body.
    National,
    /// A provincial body; without a locality, the document's province.
    Province,
    /// A body of any level; the level word after it says which.
    Admin,
    /// Needs a proper name after it.
    Named,
    /// Not an organisation: blocks a shorter head.
    None,
}

/// An organisation head.
#[derive(Debug, Clone)]
pub struct Head {
    /// Canonical form, abbreviations expanded.
    pub canonical: String,
    /// How it takes what follows.
    pub scope: Scope,
    /// For [`Scope::Admin`]: the level when no level word follows.
    pub default_level: Level,
    /// A unit of another body (Cục, Vụ, Ban, Công đoàn).
    pub sub: bool,
    /// Organisation kind (a `kind:` concept of the ontology).
    pub kind: String,
}

impl Head {
    /// Party committees (Tỉnh ủy, Huyện ủy) carry their level in the head: "Tỉnh ủy Hà Giang".
    pub fn level_in_head(&self) -> bool {
        self.kind == "party" && matches!(self.scope, Scope::Province | Scope::Admin)
    }
}

/// A title of office.
#[derive(Debug, Clone)]
pub struct Title {
    /// Canonical title.
    pub canonical: String,
    /// Index of the head of the organisation it implies, if any.
    pub implied_org: Option<usize>,
    /// A ministry's domain may follow it ("Thứ trưởng Y tế").
    pub ministry: bool,
    /// The head of a unit (khoa, phòng): the unit's name follows, then the body.
    pub unit: bool,
}

/// What a relation cue signals. See `ontology/lexicon/relation_cues.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueRole {
    /// Names a meeting, with a kind.
    Event,
    /// Refers back to the article's event ("tại hội nghị", "nhân dịp này").
    Refer,
    /// Its subject organises the event.
    Organize,
    /// Its subject, or the name after "do", chairs the event.
    Chair,
    /// The name after "do" leads a visiting delegation.
    Lead,
    /// Its subject takes part.
    Join,
    /// The bodies and persons listed after it take part.
    List,
    /// The body after it receives a working visit.
    Host,
    /// The body after it sends a delegation.
    Delegation,
    /// Signing: the bodies before it, and after "với", are parties.
    Sign,
    /// Names an agreement; parties follow "giữa".
    Agreement,
    /// Hands over an award.
    Give,
    /// Receives an award.
    Receive,
    /// The grantor follows ("thừa ủy quyền của").
    Behalf,
    /// Gives money.
    Donate,
    /// Not a cue: blocks a shorter one.
    None,
}

impl CueRole {
    fn parse(s: &str) -> Option<CueRole> {
        Some(match s {
            "event" => CueRole::Event,
            "refer" => CueRole::Refer,
            "organize" => CueRole::Organize,
            "chair" => CueRole::Chair,
            "lead" => CueRole::Lead,
            "join" => CueRole::Join,
            "list" => CueRole::List,
            "host" => CueRole::Host,
            "delegation" => CueRole::Delegation,
            "sign" => CueRole::Sign,
            "agreement" => CueRole::Agreement,
            "give" => CueRole::Give,
            "receive" => CueRole::Receive,
            "behalf" => CueRole::Behalf,
            "donate" => CueRole::Donate,
            "none" => CueRole::None,
            _ => return None,
        })
    }
}

/// A relation cue: the roles it plays and, for an event cue, the event's kind.
#[derive(Debug, Clone)]
pub struct Cue {
    /// The phrase as written in the table.
    pub phrase: String,
    /// Roles it plays.
    pub roles: Vec<CueRole>,
    /// For an event cue: the kind (a concept of the event-kind scheme).
    pub event_kind: Option<String>,
}

impl Cue {
    /// Does the cue play `role`?
    pub fn has(&self, role: CueRole) -> bool {
        self.roles.contains(&role)
    }
}

/// A distinction that is conferred.
#[derive(Debug, Clone)]
pub struct Award {
    /// Canonical name ("Huân chương Lao động").
    pub canonical: String,
    /// order, medal, certificate, flag, badge, title or prize.
    pub kind: String,
}

/// Who an issuer code in a document number stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issuer {
    /// A body: index of its head.
    Org(usize),
    /// A post: index of its title.
    Office(usize),
}

/// Which bodies a hierarchy rule applies to. See `ontology/lexicon/hierarchy.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChildMatch {
    /// Bodies of this head (index into [`Reference::heads`]).
    Head(usize),
    /// Bodies of this kind.
    Kind(String),
    /// The one body of this canonical name.
    Name(String),
}

/// Where the parent of a hierarchy rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParentAt {
    /// In the child's own place.
    Same,
    /// One level up (commune -> district -> province).
    Up,
    /// In the child's province.
    Province,
    /// In the child's district.
    District,
    /// A national body: the head alone.
    National,
    /// The body of the parent's kind that the document names most ("Vụ Pháp chế" in an
    /// article about the Bộ Tư pháp is the Bộ Tư pháp's); none when it names none.
    Document,
}

/// A condition on the child of a hierarchy rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    /// Always.
    Always,
    /// The child is of a place of this level.
    Level(Level),
    /// The child has a place at all.
    Local,
    /// The child's name holds these (folded) words.
    Contains(String),
}

/// A rule of the hierarchy of bodies.
#[derive(Debug, Clone)]
pub struct HierarchyRule {
    /// Which bodies it applies to.
    pub child: ChildMatch,
    /// The parent's head (index into [`Reference::heads`]); with [`ParentAt::Document`], a
    /// head of the parent's kind, which [`HierarchyRule::parent_kind`] names.
    pub parent: usize,
    /// With [`ParentAt::Document`]: the kind of body the parent is (`ministry`).
    pub parent_kind: Option<String>,
    /// Where the parent is.
    pub at: ParentAt,
    /// When it applies.
    pub when: When,
}

/// All reference data, parsed.
pub struct Reference {
    /// Provinces, old and new.
    pub provinces: Vec<Province>,
    /// Province names and variants -> index.
    pub province_lex: Lexicon<usize>,
    /// Organisation heads.
    pub heads: Vec<Head>,
    /// Head forms -> index.
    pub head_lex: Lexicon<usize>,
    /// Ministry domains ("Y tế" for "Bộ Y tế") -> head index.
    pub ministry_lex: Lexicon<usize>,
    /// Titles.
    pub titles: Vec<Title>,
    /// Title forms -> index.
    pub title_lex: Lexicon<usize>,
    /// Honorific forms -> strong?
    pub honorific_lex: Lexicon<bool>,
    /// Folded surnames.
    pub surnames: HashSet<String>,
    /// Lower-case words that may continue an organisation's name.
    pub org_words: Lexicon<()>,
    /// Words of two to four syllables (`lexicon/words.txt`): the dictionary of the word
    /// segmentation that decides where a name ends ("Hội Nông dân" is two words).
    pub words: Lexicon<()>,
    /// Countries as Vietnamese writes them (`lexicon/countries.txt`) -> the canonical name:
    /// a national head followed by one is that country's body ("Bộ Y tế Lào").
    pub countries: Lexicon<String>,
    /// Lower-case words that end a name (`lexicon/name_stops.txt`, `lexicon/verbs.txt`):
    /// function words and verbs.
    pub name_stops: Lexicon<()>,
    /// Abbreviation -> expansion, case-sensitive.
    pub abbreviations: HashMap<String, String>,
    /// Level words -> (level, canonical word).
    pub level_lex: Lexicon<(Level, String)>,
    /// Relation cues.
    pub cue_lex: Lexicon<Cue>,
    /// Awards.
    pub awards: Vec<Award>,
    /// Award names -> index.
    pub award_lex: Lexicon<usize>,
    /// Kinds of legal documents (canonical names).
    pub legal_kinds: Vec<String>,
    /// Kind names written before a number -> index.
    pub legal_kind_lex: Lexicon<usize>,
    /// Kind codes of document numbers ("QĐ") -> index.
    pub legal_codes: HashMap<String, usize>,
    /// Issuer codes of document numbers ("TTg", "BYT").
    pub issuer_codes: HashMap<String, Issuer>,
    /// The hierarchy of bodies: rules naming one body first, then the others in file order.
    pub hierarchy: Vec<HierarchyRule>,
}

/// The `ontology/` files compiled in, by name: what [`Reference`] is built from.
pub const SOURCES: [(&str, &str); 18] = [
    ("provinces.tsv", include_str!("../ontology/provinces.tsv")),
    (
        "lexicon/org_heads.tsv",
        include_str!("../ontology/lexicon/org_heads.tsv"),
    ),
    (
        "lexicon/titles.tsv",
        include_str!("../ontology/lexicon/titles.tsv"),
    ),
    (
        "lexicon/honorifics.tsv",
        include_str!("../ontology/lexicon/honorifics.tsv"),
    ),
    (
        "lexicon/surnames.txt",
        include_str!("../ontology/lexicon/surnames.txt"),
    ),
    (
        "lexicon/org_words.txt",
        include_str!("../ontology/lexicon/org_words.txt"),
    ),
    (
        "lexicon/words.txt",
        include_str!("../ontology/lexicon/words.txt"),
    ),
    (
        "lexicon/countries.txt",
        include_str!("../ontology/lexicon/countries.txt"),
    ),
    (
        "lexicon/name_stops.txt",
        include_str!("../ontology/lexicon/name_stops.txt"),
    ),
    (
        "lexicon/verbs.txt",
        include_str!("../ontology/lexicon/verbs.txt"),
    ),
    (
        "lexicon/abbreviations.tsv",
        include_str!("../ontology/lexicon/abbreviations.tsv"),
    ),
    (
        "lexicon/levels.tsv",
        include_str!("../ontology/lexicon/levels.tsv"),
    ),
    (
        "lexicon/noise.txt",
        include_str!("../ontology/lexicon/noise.txt"),
    ),
    (
        "lexicon/relation_cues.tsv",
        include_str!("../ontology/lexicon/relation_cues.tsv"),
    ),
    (
        "lexicon/awards.tsv",
        include_str!("../ontology/lexicon/awards.tsv"),
    ),
    (
        "lexicon/legal_kinds.tsv",
        include_str!("../ontology/lexicon/legal_kinds.tsv"),
    ),
    (
        "lexicon/issuer_codes.tsv",
        include_str!("../ontology/lexicon/issuer_codes.tsv"),
    ),
    (
        "lexicon/hierarchy.tsv",
        include_str!("../ontology/lexicon/hierarchy.tsv"),
    ),
];

fn source(name: &str) -> &'static str {
    SOURCES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| *s)
        .unwrap_or("")
}

/// Data rows of a table: comments and the header row skipped, cells split on tabs.
fn rows(name: &str) -> Vec<(usize, Vec<&'static str>)> {
    source(name)
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(usize::from(name.ends_with(".tsv")))
        .map(|(no, l)| (no + 1, l.split('\t').map(str::trim).collect()))
        .collect()
}

/// Indexes a name and the `|`-separated alternates of `cell` under `idx` in `lex`.
fn index_names(lex: &mut Lexicon<usize>, idx: usize, name: &str, cell: Option<&&'static str>) {
    lex.insert(name, idx);
    for a in alternates(cell) {
        lex.insert(a, idx);
    }
}

fn alternates(cell: Option<&&'static str>) -> impl Iterator<Item = &'static str> {
    let s: &'static str = cell.copied().unwrap_or("");
    s.split('|').map(str::trim).filter(|s| !s.is_empty())
}

/// Checks the compiled-in tables; each problem names the file and line.
pub fn check() -> Vec<String> {
    build().1
}

/// The reference data, parsed on first use.
pub fn get() -> &'static Reference {
    static R: OnceLock<Reference> = OnceLock::new();
    R.get_or_init(|| build().0)
}

fn build() -> (Reference, Vec<String>) {
    let mut problems = Vec::new();
    let mut r = Reference {
        provinces: Vec::new(),
        province_lex: Lexicon::new(),
        heads: Vec::new(),
        head_lex: Lexicon::new(),
        ministry_lex: Lexicon::new(),
        titles: Vec::new(),
        title_lex: Lexicon::new(),
        honorific_lex: Lexicon::new(),
        surnames: HashSet::new(),
        org_words: Lexicon::new(),
        words: Lexicon::new(),
        countries: Lexicon::new(),
        name_stops: Lexicon::new(),
        abbreviations: HashMap::new(),
        level_lex: Lexicon::new(),
        cue_lex: Lexicon::new(),
        awards: Vec::new(),
        award_lex: Lexicon::new(),
        legal_kinds: Vec::new(),
        legal_kind_lex: Lexicon::new(),
        legal_codes: HashMap::new(),
        issuer_codes: HashMap::new(),
        hierarchy: Vec::new(),
    };

    let prov_rows = rows("provinces.tsv");
    let by_name: HashMap<String, usize> = prov_rows
        .iter()
        .enumerate()
        .map(|(i, (_, c))| (fold(c[0]), i))
        .collect();
    for (line, c) in &prov_rows {
        if c.len() < 6 {
            problems.push(format!("ontology/provinces.tsv:{line}: expected 6 columns"));
            continue;
        }
        let wikidata = c[5];
        if !(wikidata.starts_with('Q')
            && wikidata.len() > 1
            && wikidata[1..].bytes().all(|b| b.is_ascii_digit()))
        {
            problems.push(format!(
                "ontology/provinces.tsv:{line}: {wikidata:?} is not a Wikidata item id (Q123)"
            ));
        }
        let successor = by_name.get(&fold(c[4])).copied().unwrap_or_else(|| {
            problems.push(format!(
                "ontology/provinces.tsv:{line}: unknown successor {:?}",
                c[4]
            ));
            r.provinces.len()
        });
        let former = match c.get(6).copied().filter(|s| !s.is_empty()) {
            None => None,
            Some(cell) => match cell.split(';').map(str::trim).collect::<Vec<_>>()[..] {
                [name, kind @ ("tỉnh" | "thành phố"), until]
                    if until.len() == 10 && crate::text::is_iso_date(until) =>
                {
                    Some(FormerName {
                        name: name.to_string(),
                        kind: kind.to_string(),
                        until: until.to_string(),
                    })
                }
                _ => {
                    problems.push(format!(
                        "ontology/provinces.tsv:{line}: former {cell:?} is not `name;tỉnh|thành phố;YYYY-MM-DD`"
                    ));
                    None
                }
            },
        };
        let idx = r.provinces.len();
        index_names(&mut r.province_lex, idx, c[0], c.get(3));
        r.provinces.push(Province {
            name: c[0].to_string(),
            kind: c[1].to_string(),
            iso: c[2].to_string(),
            variants: alternates(c.get(3)).map(String::from).collect(),
            successor,
            slug: crate::text::ascii_slug(c[0]),
            wikidata: wikidata.to_string(),
            former,
        });
    }

    for (line, c) in rows("lexicon/org_heads.tsv") {
        let scope = match c.get(2).copied().unwrap_or("") {
            "national" => Scope::National,
            "province" => Scope::Province,
            "admin" => Scope::Admin,
            "named" => Scope::Named,
            "none" => Scope::None,
            other => {
                problems.push(format!(
                    "ontology/lexicon/org_heads.tsv:{line}: unknown scope {other:?}"
                ));
                continue;
            }
        };
        let default_level = match c.get(3).copied().filter(|s| !s.is_empty()) {
            None => Level::Province,
            Some(s) => Level::parse(s).unwrap_or_else(|| {
                problems.push(format!(
                    "ontology/lexicon/org_heads.tsv:{line}: unknown level {s:?}"
                ));
                Level::Province
            }),
        };
        let idx = r.heads.len();
        let canonical = c[0].to_string();
        index_names(&mut r.head_lex, idx, &canonical, c.get(1));
        // news writes the "và" of a name as a dash: "Bộ Khoa học - Công nghệ", "Sở Tài
        // nguyên - Môi trường"
        for name in std::iter::once(c[0]).chain(alternates(c.get(1))) {
            if name.contains(" và ") {
                r.head_lex.insert(&name.replace(" và ", " - "), idx);
            }
        }
        if scope == Scope::National {
            if let Some(domain) = canonical.strip_prefix("Bộ ") {
                r.ministry_lex.insert(domain, idx);
            }
        }
        r.heads.push(Head {
            canonical,
            scope,
            default_level,
            sub: c.get(4) == Some(&"yes"),
            kind: c.get(5).copied().unwrap_or("").to_string(),
        });
    }

    for (line, c) in rows("lexicon/titles.tsv") {
        let implied_org = c.get(2).copied().filter(|s| !s.is_empty()).and_then(|o| {
            let found = r.head_lex.get(o).copied();
            if found.is_none() {
                problems.push(format!("ontology/lexicon/titles.tsv:{line}: implied organisation {o:?} is not in org_heads.tsv"));
            }
            found
        });
        let idx = r.titles.len();
        index_names(&mut r.title_lex, idx, c[0], c.get(1));
        r.titles.push(Title {
            canonical: c[0].to_string(),
            implied_org,
            ministry: c.get(3) == Some(&"yes"),
            unit: c.get(4) == Some(&"yes"),
        });
    }

    for (line, c) in rows("lexicon/honorifics.tsv") {
        match c.get(1).copied() {
            Some("strong") => r.honorific_lex.insert(c[0], true),
            Some("weak") => r.honorific_lex.insert(c[0], false),
            other => {
                problems.push(format!("ontology/lexicon/honorifics.tsv:{line}: strength {other:?} is not strong or weak"));
                false
            }
        };
    }
    for (_, c) in rows("lexicon/surnames.txt") {
        r.surnames.insert(fold(c[0]));
    }
    for (_, c) in rows("lexicon/org_words.txt") {
        r.org_words.insert(c[0], ());
    }
    for (_, c) in rows("lexicon/words.txt") {
        r.words.insert(c[0], ());
    }
    for (_, c) in rows("lexicon/name_stops.txt")
        .into_iter()
        .chain(rows("lexicon/verbs.txt"))
    {
        r.name_stops.insert(c[0], ());
    }
    for (_, c) in rows("lexicon/countries.txt") {
        let canonical = c.get(1).copied().filter(|s| !s.is_empty()).unwrap_or(c[0]);
        r.countries.insert(c[0], canonical.to_string());
    }
    for (line, c) in rows("lexicon/abbreviations.tsv") {
        match c.get(1) {
            Some(e) => {
                r.abbreviations.insert(c[0].to_string(), e.to_string());
            }
            None => problems.push(format!(
                "ontology/lexicon/abbreviations.tsv:{line}: no expansion"
            )),
        }
    }
    for (line, c) in rows("lexicon/levels.tsv") {
        match c.get(1).and_then(|l| Level::parse(l)) {
            Some(level) => {
                let canonical = c.get(2).copied().unwrap_or(c[0]).to_string();
                r.level_lex.insert(c[0], (level, canonical));
            }
            None => problems.push(format!("ontology/lexicon/levels.tsv:{line}: unknown level")),
        }
    }
    relation_tables(&mut r, &mut problems);
    hierarchy_table(&mut r, &mut problems);
    (r, problems)
}

/// The hierarchy of bodies (`lexicon/hierarchy.tsv`).
fn hierarchy_table(r: &mut Reference, problems: &mut Vec<String>) {
    let mut named = Vec::new();
    let mut others = Vec::new();
    for (line, c) in rows("lexicon/hierarchy.tsv") {
        let at = format!("ontology/lexicon/hierarchy.tsv:{line}");
        let head_of = |h: &str| r.heads.iter().position(|x| fold(&x.canonical) == fold(h));
        let child = match c[0].split_once(':') {
            Some(("head", h)) => match head_of(h) {
                Some(i) => ChildMatch::Head(i),
                None => {
                    problems.push(format!("{at}: head {h:?} is not in org_heads.tsv"));
                    continue;
                }
            },
            Some(("kind", k)) => ChildMatch::Kind(k.to_string()),
            Some(("name", n)) => ChildMatch::Name(n.to_string()),
            _ => {
                problems.push(format!(
                    "{at}: child {:?} is not head:, kind: or name:",
                    c[0]
                ));
                continue;
            }
        };
        // kind:KIND, with the place `document`: the body of that kind the document names most
        let parent_kind = c
            .get(1)
            .and_then(|p| p.strip_prefix("kind:"))
            .map(str::to_string);
        let parent = match &parent_kind {
            Some(k) => r.heads.iter().position(|x| x.kind == *k),
            None => c.get(1).and_then(|p| head_of(p)),
        };
        let Some(parent) = parent else {
            problems.push(format!(
                "{at}: parent {:?} is not a head of org_heads.tsv, nor kind: of one",
                c.get(1)
            ));
            continue;
        };
        let place_at = match c.get(2).copied() {
            Some("same") => ParentAt::Same,
            Some("up") => ParentAt::Up,
            Some("province") => ParentAt::Province,
            Some("district") => ParentAt::District,
            Some("national") => ParentAt::National,
            Some("document") => ParentAt::Document,
            other => {
                problems.push(format!("{at}: unknown place {other:?}"));
                continue;
            }
        };
        let when = match c.get(3).copied().unwrap_or("") {
            "" => When::Always,
            "local" => When::Local,
            w => match (w.strip_prefix("contains:"), Level::parse(w)) {
                (Some(words), _) => When::Contains(fold(words)),
                (None, Some(level)) => When::Level(level),
                _ => {
                    problems.push(format!("{at}: unknown condition {w:?}"));
                    continue;
                }
            },
        };
        if (place_at == ParentAt::Document) != parent_kind.is_some() {
            problems.push(format!(
                "{at}: a kind: parent goes with the place `document`, and only it"
            ));
            continue;
        }
        let rule = HierarchyRule {
            child,
            parent,
            parent_kind,
            at: place_at,
            when,
        };
        if matches!(rule.child, ChildMatch::Name(_)) {
            named.push(rule);
        } else {
            others.push(rule);
        }
    }
    named.extend(others);
    r.hierarchy = named;
}

/// Relation cues, awards, kinds of legal documents and issuer codes.
fn relation_tables(r: &mut Reference, problems: &mut Vec<String>) {
    for (line, c) in rows("lexicon/relation_cues.tsv") {
        let mut roles = Vec::new();
        for role in alternates(c.get(1)) {
            match CueRole::parse(role) {
                Some(x) => roles.push(x),
                None => problems.push(format!(
                    "ontology/lexicon/relation_cues.tsv:{line}: unknown role {role:?}"
                )),
            }
        }
        let event_kind = c.get(2).filter(|k| !k.is_empty()).map(|k| k.to_string());
        if roles.contains(&CueRole::Event) != event_kind.is_some() {
            problems.push(format!(
                "ontology/lexicon/relation_cues.tsv:{line}: an event cue needs a kind, and only an event cue has one"
            ));
        }
        r.cue_lex.insert(
            c[0],
            Cue {
                phrase: c[0].to_string(),
                roles,
                event_kind,
            },
        );
    }
    for (line, c) in rows("lexicon/awards.tsv") {
        let Some(kind) = c.get(2).filter(|k| !k.is_empty()) else {
            problems.push(format!("ontology/lexicon/awards.tsv:{line}: no kind"));
            continue;
        };
        let idx = r.awards.len();
        index_names(&mut r.award_lex, idx, c[0], c.get(1));
        r.awards.push(Award {
            canonical: c[0].to_string(),
            kind: kind.to_string(),
        });
    }
    for (_, c) in rows("lexicon/legal_kinds.tsv") {
        let idx = r.legal_kinds.len();
        index_names(&mut r.legal_kind_lex, idx, c[0], c.get(1));
        for code in alternates(c.get(2)) {
            r.legal_codes.insert(code.to_string(), idx);
        }
        r.legal_kinds.push(c[0].to_string());
    }
    for (line, c) in rows("lexicon/issuer_codes.tsv") {
        let name = c.get(1).copied().unwrap_or("");
        let issuer = match c.get(2).copied() {
            Some("org") => r.head_lex.get(name).copied().map(Issuer::Org),
            Some("office") => r.title_lex.get(name).copied().map(Issuer::Office),
            _ => None,
        };
        match issuer {
            Some(i) => {
                r.issuer_codes.insert(c[0].to_string(), i);
            }
            None => problems.push(format!(
                "ontology/lexicon/issuer_codes.tsv:{line}: {name:?} is not a known head (org) or title (office)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_parse_without_problems() {
        assert_eq!(check(), Vec::<String>::new());
    }

    #[test]
    fn sixty_three_provinces_merge_into_thirty_four() {
        let r = get();
        assert_eq!(r.provinces.len(), 63);
        let successors: HashSet<usize> = r.provinces.iter().map(|p| p.successor).collect();
        assert_eq!(successors.len(), 34);
        let hg = *r.province_lex.get("Hà Giang").unwrap();
        assert_eq!(r.provinces[r.provinces[hg].successor].name, "Tuyên Quang");
        assert_eq!(
            r.province_lex.get("Thanh Hoá"),
            r.province_lex.get("Thanh Hóa")
        );
        assert_eq!(
            r.province_lex.get("Đăk Nông"),
            r.province_lex.get("Đắk Nông")
        );
    }

    #[test]
    fn titles_imply_their_bodies() {
        let r = get();
        let t = &r.titles[*r.title_lex.get("Tỉnh uỷ viên").unwrap()];
        assert_eq!(r.heads[t.implied_org.unwrap()].canonical, "Tỉnh ủy");
        assert!(r
            .title_lex
            .get("Thứ trưởng")
            .map(|&i| r.titles[i].ministry)
            .unwrap());
        assert_eq!(
            r.heads[*r.ministry_lex.get("Y tế").unwrap()].canonical,
            "Bộ Y tế"
        );
    }
}
