//! Which questions a new session asks, in which order, with which option order: fixed
//! items as they are, draw items as `count` questions picked at random from their frozen
//! pool, then (when the assessment says so) questions and options shuffled.

use rand::seq::SliceRandom;
use rand::Rng;
use uuid::Uuid;

/// One item of a published assessment with its frozen questions.
#[derive(Debug, Clone)]
pub struct Item {
    /// `None` for a fixed question (the pool's only entry), the number to draw otherwise.
    pub draw_count: Option<usize>,
    pub pool: Vec<PoolQuestion>,
}

#[derive(Debug, Clone)]
pub struct PoolQuestion {
    pub id: Uuid,
    pub option_ids: Vec<u32>,
}

/// A question of the session: its id and the order of its options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    pub id: Uuid,
    pub option_order: Vec<u32>,
}

pub fn draw(
    items: &[Item],
    shuffle_questions: bool,
    shuffle_options: bool,
    rng: &mut impl Rng,
) -> Vec<Drawn> {
    let mut drawn: Vec<&PoolQuestion> = Vec::new();
    for item in items {
        match item.draw_count {
            None => drawn.extend(item.pool.iter()),
            Some(count) => drawn.extend(item.pool.choose_multiple(rng, count)),
        }
    }
    // A question reached by two items (a fixed one also in a drawn set) is asked once.
    let mut seen = std::collections::HashSet::new();
    drawn.retain(|q| seen.insert(q.id));
    if shuffle_questions {
        drawn.shuffle(rng);
    }
    drawn
        .into_iter()
        .map(|q| {
            let mut option_order = q.option_ids.clone();
            if shuffle_options {
                option_order.shuffle(rng);
            }
            Drawn {
                id: q.id,
                option_order,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn pool(n: usize) -> Vec<PoolQuestion> {
        (0..n)
            .map(|_| PoolQuestion {
                id: Uuid::new_v4(),
                option_ids: vec![1, 2, 3, 4],
            })
            .collect()
    }

    #[test]
    fn fixed_items_keep_their_order_and_draws_take_the_count() {
        let fixed = pool(2);
        let set = pool(10);
        let items = vec![
            Item {
                draw_count: None,
                pool: vec![fixed[0].clone()],
            },
            Item {
                draw_count: Some(3),
                pool: set.clone(),
            },
            Item {
                draw_count: None,
                pool: vec![fixed[1].clone()],
            },
        ];
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let drawn = draw(&items, false, false, &mut rng);
        assert_eq!(drawn.len(), 5);
        assert_eq!(drawn[0].id, fixed[0].id);
        assert_eq!(drawn[4].id, fixed[1].id);
        assert!(drawn[1..4].iter().all(|d| set.iter().any(|q| q.id == d.id)));
        assert!(drawn.iter().all(|d| d.option_order == vec![1, 2, 3, 4]));
    }

    #[test]
    fn shuffling_permutes_questions_and_options_without_losing_any() {
        let questions = pool(20);
        let items = vec![Item {
            draw_count: None,
            pool: questions.clone(),
        }];
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        let drawn = draw(&items, true, true, &mut rng);
        let mut ids: Vec<Uuid> = drawn.iter().map(|d| d.id).collect();
        assert_ne!(ids, questions.iter().map(|q| q.id).collect::<Vec<_>>());
        ids.sort();
        let mut expected: Vec<Uuid> = questions.iter().map(|q| q.id).collect();
        expected.sort();
        assert_eq!(ids, expected);
        assert!(drawn.iter().any(|d| d.option_order != vec![1, 2, 3, 4]));
        assert!(drawn.iter().all(|d| {
            let mut o = d.option_order.clone();
            o.sort();
            o == vec![1, 2, 3, 4]
        }));
    }

    #[test]
    fn a_question_reached_twice_is_asked_once() {
        let shared = pool(1);
        let items = vec![
            Item {
                draw_count: None,
                pool: shared.clone(),
            },
            Item {
                draw_count: Some(1),
                pool: shared.clone(),
            },
        ];
        let drawn = draw(&items, false, false, &mut rand::thread_rng());
        assert_eq!(drawn.len(), 1);
    }
}
