//! The question bank (seed QuestionSet, Question): question sets with skills, tags and a
//! difficulty, and questions of seven kinds. A question belongs to a set or to a
//! requisition's job description, never both.

pub mod model;
pub mod scoring;
