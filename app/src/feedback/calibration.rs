//! Interviewer calibration: per interviewer, interviews done, feedback on time or late,
//! how their recommendations spread, their average level per attribute against the
//! panel's on the same candidates, and how often they were the lone dissent. Plain
//! arithmetic on the rows `data::calibration` reads, so that it is tested here.
//!
//! The comparison with the panel rests only on applications where the interviewer owes
//! no feedback: they have submitted everything for that candidate, so the colleagues'
//! ratings it uses are ones they may see (the independence rule).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{RatedAttribute, Recommendation};

/// One interview of the report's range, as the report reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct InterviewFacts {
    pub interviewer_id: Uuid,
    pub interviewer_name: String,
    pub application_id: Uuid,
    /// Submitted feedback: its recommendation and ratings.
    pub submitted: Option<(Recommendation, Vec<RatedAttribute>)>,
    pub timing: Timing,
    /// The interviewer owes feedback on another interview of this application, which
    /// may lie outside the report's range.
    pub owes_on_application: bool,
}

/// When the feedback came, against when it was due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Timing {
    OnTime,
    Late,
    /// Not submitted, and past its due time.
    Overdue,
    /// Not submitted, not due yet.
    NotDueYet,
}

/// An interviewer's average level on one attribute against the panel's on the same
/// candidates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeComparison {
    pub name: String,
    pub own_average: f64,
    pub panel_average: f64,
    /// `own_average - panel_average`: below zero harsher than the panel, above more lenient.
    pub difference: f64,
    /// How many candidates the comparison rests on.
    pub candidates: usize,
}

/// One interviewer's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InterviewerFigures {
    pub interviewer_id: Uuid,
    pub name: String,
    pub interviews: usize,
    pub on_time: usize,
    pub late: usize,
    pub overdue: usize,
    /// Strong no, no, yes, strong yes.
    pub recommendations: [usize; 4],
    pub attributes: Vec<AttributeComparison>,
    /// The weighted mean of the attribute differences (by candidates), when there is one.
    pub overall_difference: Option<f64>,
    /// Candidates on which at least two colleagues agreed (all yes or all no) and this
    /// interviewer said the opposite.
    pub lone_dissents: usize,
    /// Candidates with at least two colleagues' recommendations, where a lone dissent
    /// could happen.
    pub dissent_chances: usize,
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// The figures of every interviewer in `rows`, by name.
pub fn figures(rows: &[InterviewFacts]) -> Vec<InterviewerFigures> {
    let mut by_interviewer: BTreeMap<Uuid, InterviewerFigures> = BTreeMap::new();
    for row in rows {
        let entry =
            by_interviewer
                .entry(row.interviewer_id)
                .or_insert_with(|| InterviewerFigures {
                    interviewer_id: row.interviewer_id,
                    name: row.interviewer_name.clone(),
                    interviews: 0,
                    on_time: 0,
                    late: 0,
                    overdue: 0,
                    recommendations: [0; 4],
                    attributes: Vec::new(),
                    overall_difference: None,
                    lone_dissents: 0,
                    dissent_chances: 0,
                });
        entry.interviews += 1;
        match row.timing {
            Timing::OnTime => entry.on_time += 1,
            Timing::Late => entry.late += 1,
            Timing::Overdue => entry.overdue += 1,
            Timing::NotDueYet => {}
        }
        if let Some((recommendation, _)) = &row.submitted {
            let slot = Recommendation::ALL
                .iter()
                .position(|r| r == recommendation)
                .unwrap_or(0);
            entry.recommendations[slot] += 1;
        }
    }

    // Per application: who still owes feedback there, and everything submitted.
    let mut applications: BTreeMap<Uuid, Vec<&InterviewFacts>> = BTreeMap::new();
    for row in rows {
        applications
            .entry(row.application_id)
            .or_default()
            .push(row);
    }
    // (interviewer, attribute key) -> (display name, own levels, panel means) per candidate.
    type Pairs = BTreeMap<(Uuid, String), (String, Vec<f64>, Vec<f64>)>;
    let mut pairs: Pairs = BTreeMap::new();
    for interviews in applications.values() {
        let interviewers: Vec<Uuid> = {
            let mut ids: Vec<Uuid> = interviews.iter().map(|r| r.interviewer_id).collect();
            ids.sort();
            ids.dedup();
            ids
        };
        for interviewer in interviewers {
            let (own, others): (Vec<&&InterviewFacts>, Vec<&&InterviewFacts>) = interviews
                .iter()
                .partition(|r| r.interviewer_id == interviewer);
            if own
                .iter()
                .any(|r| r.submitted.is_none() || r.owes_on_application)
            {
                continue;
            }
            let figures = by_interviewer.get_mut(&interviewer).expect("counted above");
            // Lone dissent: each colleague's first submitted recommendation.
            let own_yes = own
                .iter()
                .find_map(|r| r.submitted.as_ref().map(|(rec, _)| rec.is_yes()));
            let mut colleague_votes: BTreeMap<Uuid, bool> = BTreeMap::new();
            for other in &others {
                if let Some((rec, _)) = &other.submitted {
                    colleague_votes
                        .entry(other.interviewer_id)
                        .or_insert(rec.is_yes());
                }
            }
            if let Some(own_yes) = own_yes {
                if colleague_votes.len() >= 2 {
                    figures.dissent_chances += 1;
                    if colleague_votes.values().all(|yes| *yes != own_yes) {
                        figures.lone_dissents += 1;
                    }
                }
            }
            // Levels per attribute: the interviewer's mean here against the colleagues'.
            let levels = |rows: &[&&InterviewFacts]| {
                let mut levels: BTreeMap<String, (String, Vec<f64>)> = BTreeMap::new();
                for row in rows {
                    for rated in row.submitted.iter().flat_map(|(_, ratings)| ratings) {
                        if let Some(level) = rated.level() {
                            levels
                                .entry(rated.name.to_lowercase())
                                .or_insert_with(|| (rated.name.clone(), Vec::new()))
                                .1
                                .push(f64::from(level));
                        }
                    }
                }
                levels
            };
            let own_levels = levels(&own);
            let other_levels = levels(&others);
            for (key, (name, mine)) in own_levels {
                let Some((_, theirs)) = other_levels.get(&key) else {
                    continue;
                };
                let pair = pairs
                    .entry((interviewer, key))
                    .or_insert_with(|| (name, Vec::new(), Vec::new()));
                pair.1.push(mean(&mine));
                pair.2.push(mean(theirs));
            }
        }
    }
    for ((interviewer, _), (name, own, panel)) in pairs {
        let figures = by_interviewer.get_mut(&interviewer).expect("counted above");
        let (own_average, panel_average) = (mean(&own), mean(&panel));
        figures.attributes.push(AttributeComparison {
            name,
            own_average,
            panel_average,
            difference: own_average - panel_average,
            candidates: own.len(),
        });
    }
    let mut list: Vec<InterviewerFigures> = by_interviewer.into_values().collect();
    for figures in &mut list {
        let weight: usize = figures.attributes.iter().map(|a| a.candidates).sum();
        if weight > 0 {
            let total: f64 = figures
                .attributes
                .iter()
                .map(|a| a.difference * a.candidates as f64)
                .sum();
            figures.overall_difference = Some(total / weight as f64);
        }
    }
    list.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.interviewer_id.cmp(&b.interviewer_id))
    });
    list
}

/// "+0.50", "−1.25", "0.00": a difference as the report writes it.
pub fn signed(value: f64) -> String {
    if value > 0.005 {
        format!("+{value:.2}")
    } else if value < -0.005 {
        format!("−{:.2}", -value)
    } else {
        "0.00".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scorecards::Category;
    use Recommendation::*;

    fn rated(name: &str, level: i16) -> RatedAttribute {
        RatedAttribute {
            attribute_id: Uuid::nil(),
            category: Category::Skills,
            name: name.into(),
            anchors: vec![],
            rating: Some(level),
        }
    }

    fn row(
        who: (Uuid, &str),
        application: Uuid,
        submitted: Option<(Recommendation, Vec<RatedAttribute>)>,
        timing: Timing,
    ) -> InterviewFacts {
        InterviewFacts {
            interviewer_id: who.0,
            interviewer_name: who.1.into(),
            application_id: application,
            submitted,
            timing,
            owes_on_application: false,
        }
    }

    #[test]
    fn a_harsh_interviewer_and_a_lone_dissent_show() {
        let hana = (Uuid::from_u128(1), "Hana Harsh");
        let lee = (Uuid::from_u128(2), "Lee Lenient");
        let pat = (Uuid::from_u128(3), "Pat Panel");
        let (a, b, c) = (
            Uuid::from_u128(10),
            Uuid::from_u128(11),
            Uuid::from_u128(12),
        );
        let rows = vec![
            // Candidate a: Hana 1 on SQL, Lee 4, Pat 3. Hana says no, the others yes.
            row(hana, a, Some((No, vec![rated("SQL", 1)])), Timing::OnTime),
            row(
                lee,
                a,
                Some((StrongYes, vec![rated("SQL", 4)])),
                Timing::Late,
            ),
            row(pat, a, Some((Yes, vec![rated("sql", 3)])), Timing::OnTime),
            // Candidate b: Hana 2, Pat 4 (and "not assessed" counts for nothing).
            row(
                hana,
                b,
                Some((Yes, vec![rated("SQL", 2), rated("Care", 0)])),
                Timing::OnTime,
            ),
            row(
                pat,
                b,
                Some((Yes, vec![rated("SQL", 4), rated("Care", 3)])),
                Timing::OnTime,
            ),
            // Candidate c: Lee owes feedback, so c is left out of Lee's comparison and
            // Hana's 1 there is compared with Pat's alone... but Pat gave nothing yet.
            row(lee, c, None, Timing::Overdue),
            row(
                hana,
                c,
                Some((StrongNo, vec![rated("SQL", 1)])),
                Timing::OnTime,
            ),
            row(pat, c, None, Timing::NotDueYet),
        ];
        let figures = figures(&rows);
        assert_eq!(
            figures.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
            vec!["Hana Harsh", "Lee Lenient", "Pat Panel"]
        );
        let hana = &figures[0];
        assert_eq!(hana.interviews, 3);
        assert_eq!((hana.on_time, hana.late, hana.overdue), (3, 0, 0));
        assert_eq!(hana.recommendations, [1, 1, 1, 0]);
        assert_eq!(hana.attributes.len(), 1);
        let sql = &hana.attributes[0];
        assert_eq!(sql.name, "SQL");
        assert_eq!(sql.candidates, 2);
        // a: 1 against (4 + 3) / 2 = 3.5; b: 2 against 4 → own 1.5, panel 3.75.
        assert!((sql.own_average - 1.5).abs() < 1e-9);
        assert!((sql.panel_average - 3.75).abs() < 1e-9);
        assert!((sql.difference + 2.25).abs() < 1e-9);
        assert_eq!(signed(sql.difference), "−2.25");
        assert_eq!(hana.lone_dissents, 1);
        assert_eq!(hana.dissent_chances, 1);

        let lee = &figures[1];
        assert_eq!(
            (lee.interviews, lee.on_time, lee.late, lee.overdue),
            (2, 0, 1, 1)
        );
        assert_eq!(lee.recommendations, [0, 0, 0, 1]);
        // On a only: 4 against (1 + 3) / 2 = 2.
        assert_eq!(lee.attributes[0].candidates, 1);
        assert_eq!(signed(lee.attributes[0].difference), "+2.00");
        assert_eq!(lee.lone_dissents, 0);

        let pat = &figures[2];
        assert_eq!(pat.overdue, 0);
        // Pat owes feedback on c, so c is left out for Pat; on a and b Pat is above Hana.
        assert_eq!(
            pat.attributes
                .iter()
                .find(|a| a.name == "sql" || a.name == "SQL")
                .unwrap()
                .candidates,
            2
        );
        assert!(pat.overall_difference.unwrap() > 0.0);
    }

    #[test]
    fn an_interviewer_owing_feedback_elsewhere_on_a_candidate_is_not_compared_there() {
        let hana = (Uuid::from_u128(1), "Hana");
        let pat = (Uuid::from_u128(3), "Pat");
        let a = Uuid::from_u128(10);
        let mut own = row(hana, a, Some((No, vec![rated("SQL", 1)])), Timing::OnTime);
        own.owes_on_application = true;
        let rows = vec![
            own,
            row(pat, a, Some((Yes, vec![rated("SQL", 4)])), Timing::OnTime),
        ];
        let figures = figures(&rows);
        assert!(figures[0].attributes.is_empty());
        assert_eq!(figures[0].dissent_chances, 0);
        // Her own counts still show.
        assert_eq!(figures[0].recommendations, [0, 1, 0, 0]);
    }

    #[test]
    fn signed_differences_read_plainly() {
        assert_eq!(signed(0.5), "+0.50");
        assert_eq!(signed(-0.001), "0.00");
    }
}
