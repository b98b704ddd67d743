//! Relations resolved: roles point at entities, dates are full ISO dates, and what a document
//! states twice (a caption repeating the body) is kept once.

use crate::extract::{forms, Agent, Extraction};
use crate::reference;
use std::collections::HashSet;

/// Who takes a role, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// A person or body: index into [`super::Resolved::entities`].
    Entity(usize),
    /// A post named without its holder: its title and body.
    Office {
        /// Canonical title ("Thủ tướng").
        title: String,
        /// The body's entity, when there is one.
        org: Option<usize>,
    },
}

/// An event, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Kind (a concept of the event-kind scheme).
    pub kind: String,
    /// ISO date.
    pub date: Option<String>,
    /// Place entity.
    pub place: Option<usize>,
    /// Organisers.
    pub organizers: Vec<Role>,
    /// Chairs.
    pub chairs: Vec<Role>,
    /// Participants (organisers and chairs excluded).
    pub participants: Vec<Role>,
    /// The sentence that reports it, in characters.
    pub sentence: (usize, usize),
    /// The other sentences that report what happened there.
    pub sentences: Vec<(usize, usize)>,
}

/// An agreement, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    /// Parties.
    pub parties: Vec<Role>,
    /// Topic as written.
    pub topic: String,
    /// Its number: index into [`super::Resolved::legal`].
    pub number: Option<usize>,
    /// ISO date.
    pub date: Option<String>,
    /// Period covered (first and last year).
    pub period: Option<(i32, i32)>,
    /// Signed at the article's event.
    pub at_event: bool,
    /// The sentence that states it, in characters.
    pub sentence: (usize, usize),
}

/// An award conferral, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    /// The award's name, class included.
    pub name: String,
    /// The award's kind (order, medal, certificate, flag, badge, title, prize).
    pub kind: String,
    /// Recipient.
    pub recipient: Role,
    /// Granting authority.
    pub grantor: Option<Role>,
    /// Who handed it over.
    pub presenter: Option<Role>,
    /// ISO date.
    pub date: Option<String>,
    /// The sentence that states it, in characters.
    pub sentence: (usize, usize),
}

/// A donation, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Donation {
    /// Donor.
    pub donor: Role,
    /// Recipient.
    pub recipient: Option<Role>,
    /// Amount in đồng.
    pub amount: u64,
    /// Purpose as written.
    pub purpose: Option<String>,
    /// ISO date.
    pub date: Option<String>,
    /// The sentence that states it, in characters.
    pub sentence: (usize, usize),
}

/// A legal document cited, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Legal {
    /// Number ("2348/QĐ-TTg").
    pub number: String,
    /// Kind ("Quyết định").
    pub kind: Option<String>,
    /// Issuers.
    pub issuers: Vec<Role>,
    /// ISO date.
    pub date: Option<String>,
    /// The number's span, in characters.
    pub span: (usize, usize),
    /// The sentence that cites it, in characters.
    pub sentence: (usize, usize),
}

/// What the relations stage needs from the entity resolver.
pub(super) struct Maps<'a> {
    /// Entity of each organisation mention.
    pub org_of: &'a [Option<usize>],
    /// Entity of each person mention.
    pub person_of: &'a [usize],
    /// Entity of each place mention.
    pub place_of: &'a [usize],
    /// Character span of each sentence.
    pub sentence_span: &'a dyn Fn(usize) -> (usize, usize),
    /// Character span of a token range.
    pub token_span: &'a dyn Fn((usize, usize)) -> (usize, usize),
    /// The document's date.
    pub doc_date: Option<&'a str>,
}

/// The relations of a document.
#[derive(Debug, Clone, Default)]
pub struct Relations {
    /// Events; the first is the article's main event.
    pub events: Vec<Event>,
    /// Agreements.
    pub agreements: Vec<Agreement>,
    /// Awards.
    pub awards: Vec<Award>,
    /// Donations.
    pub donations: Vec<Donation>,
    /// Legal documents.
    pub legal: Vec<Legal>,
}

impl Maps<'_> {
    fn role(&self, a: &Agent) -> Option<Role> {
        match *a {
            Agent::Person(p) => self.person_of.get(p).copied().map(Role::Entity),
            Agent::Org(o) => self.org_of.get(o).copied().flatten().map(Role::Entity),
            Agent::Office { title, org } => Some(Role::Office {
                title: reference::get().titles[title].canonical.clone(),
                org: org.and_then(|o| self.org_of.get(o).copied().flatten()),
            }),
        }
    }

    /// The body a role stands for in a meeting: an office's body, a person or body itself.
    fn body(&self, a: &Agent) -> Option<Role> {
        match self.role(a)? {
            Role::Office { org, .. } => org.map(Role::Entity),
            r => Some(r),
        }
    }

    fn roles(&self, v: &[Agent]) -> Vec<Role> {
        let mut seen = HashSet::new();
        v.iter()
            .filter_map(|a| self.body(a))
            .filter(|r| seen.insert(r.clone()))
            .collect()
    }

    fn date(&self, ex: &Extraction, d: Option<usize>) -> Option<String> {
        d.and_then(|d| forms::full_date(&ex.dates[d].form, self.doc_date))
    }
}

/// Resolves the relations of `ex`.
pub(super) fn resolve(ex: &Extraction, m: &Maps<'_>) -> Relations {
    let mut out = Relations::default();
    // legal documents: one per number
    let mut legal_of: Vec<Option<usize>> = Vec::with_capacity(ex.legal.len());
    for l in &ex.legal {
        let kind = l
            .kind_name
            .clone()
            .or_else(|| l.kind.map(|k| reference::get().legal_kinds[k].clone()));
        let issuers: Vec<Role> = {
            let mut seen = HashSet::new();
            l.issuers
                .iter()
                .filter_map(|a| m.role(a))
                .filter(|r| seen.insert(r.clone()))
                .collect()
        };
        let date = m.date(ex, l.date);
        if let Some(i) = out.legal.iter().position(|x| x.number == l.number) {
            let have = &mut out.legal[i];
            if have.date.is_none() {
                have.date = date;
            }
            if have.issuers.is_empty() {
                have.issuers = issuers;
            }
            if l.kind_name.is_some() {
                have.kind = kind;
            }
            legal_of.push(Some(i));
            continue;
        }
        legal_of.push(Some(out.legal.len()));
        out.legal.push(Legal {
            number: l.number.clone(),
            kind,
            issuers,
            date,
            span: (m.token_span)(l.tokens),
            sentence: (m.sentence_span)(l.sentence),
        });
    }
    // events
    for e in &ex.events {
        let date = m
            .date(ex, e.date)
            .or_else(|| m.doc_date.filter(|d| d.len() == 10).map(String::from));
        let organizers = m.roles(&e.organizers);
        let chairs = m.roles(&e.chairs);
        let participants: Vec<Role> = m
            .roles(&e.participants)
            .into_iter()
            .filter(|r| !organizers.contains(r) && !chairs.contains(r))
            .collect();
        out.events.push(Event {
            kind: e.kind.clone(),
            date,
            place: e.place.and_then(|p| m.place_of.get(p).copied()),
            organizers,
            chairs,
            participants,
            sentence: (m.sentence_span)(e.sentence),
            sentences: e.sentences.iter().map(|&s| (m.sentence_span)(s)).collect(),
        });
    }
    let event_date = out.events.first().and_then(|e| e.date.clone());
    // agreements: one per set of parties and topic; the same parties named twice with one
    // topic are one agreement
    for g in &ex.agreements {
        let mut parties = m.roles(&g.parties);
        parties.sort();
        if parties.len() < 2 {
            continue;
        }
        let number = g.number.and_then(|n| legal_of[n]);
        let date = m
            .date(ex, g.date)
            .or_else(|| number.and_then(|n| out.legal[n].date.clone()))
            .or_else(|| g.at_event.then(|| event_date.clone()).flatten());
        let topic = g.topic.trim().to_string();
        let same = out.agreements.iter_mut().find(|x| {
            x.topic.to_lowercase() == topic.to_lowercase()
                && (x.parties.iter().all(|p| parties.contains(p))
                    || parties.iter().all(|p| x.parties.contains(p)))
        });
        if let Some(x) = same {
            for p in parties {
                if !x.parties.contains(&p) {
                    x.parties.push(p);
                }
            }
            continue;
        }
        out.agreements.push(Agreement {
            parties,
            topic,
            number,
            date,
            period: g.period,
            at_event: g.at_event,
            sentence: (m.sentence_span)(g.sentence),
        });
    }
    // awards: one per (award, recipient)
    for w in &ex.awards {
        let Some(recipient) = m.role(&w.recipient) else {
            continue;
        };
        let date = m
            .date(ex, w.date)
            .or_else(|| w.at_event.then(|| event_date.clone()).flatten());
        let grantor = w.grantor.as_ref().and_then(|a| m.role(a));
        let presenter = w.presenter.as_ref().and_then(|a| m.role(a));
        if let Some(x) = out
            .awards
            .iter_mut()
            .find(|x| x.name == w.name && x.recipient == recipient)
        {
            if x.presenter.is_none() {
                x.presenter = presenter;
            }
            continue;
        }
        out.awards.push(Award {
            name: w.name.clone(),
            kind: reference::get().awards[w.award].kind.clone(),
            recipient,
            grantor,
            presenter,
            date,
            sentence: (m.sentence_span)(w.sentence),
        });
    }
    // donations: one per (donor, amount)
    for d in &ex.donations {
        let Some(donor) = m.role(&d.donor) else {
            continue;
        };
        let recipient = d.recipient.as_ref().and_then(|a| m.role(a));
        let date = m
            .date(ex, d.date)
            .or_else(|| d.at_event.then(|| event_date.clone()).flatten());
        if let Some(x) = out
            .donations
            .iter_mut()
            .find(|x| x.donor == donor && x.amount == d.amount)
        {
            if x.recipient.is_none() {
                x.recipient = recipient;
            }
            if x.purpose.is_none() {
                x.purpose.clone_from(&d.purpose);
            }
            continue;
        }
        out.donations.push(Donation {
            donor,
            recipient,
            amount: d.amount,
            purpose: d.purpose.clone(),
            date,
            sentence: (m.sentence_span)(d.sentence),
        });
    }
    out
}
