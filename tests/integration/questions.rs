//! The question bank: sets and questions of every kind, order, soft deletes, validation
//! messages, stable option ids, the one-owner rule, JSON export and import, pages, and
//! who may do what.

use crate::support::{Call, Client, World};
use app::access::Role;
use app::questions::model::{QuestionBody, QuestionKind};
use app::questions::transfer::{ImportQuestionSet, SetFile};
use app::questions::{
    CreateQuestion, CreateQuestionSet, DeactivateQuestionSet, DeleteQuestion, ListQuestionSets,
    LoadQuestion, LoadQuestionSet, MoveQuestion, OptionRow, QuestionDetail, QuestionForm,
    QuestionSetSkills, QuestionSummary, RequisitionQuestions, SetDetail, SetForm, SetList,
    UpdateQuestion, UpdateQuestionSet,
};
use axum::http::StatusCode;
use server_fn::ServerFn;
use sqlx::PgPool;
use uuid::Uuid;

const OK: StatusCode = StatusCode::OK;
const INVALID: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;
const FORBIDDEN: StatusCode = StatusCode::FORBIDDEN;
const NOT_FOUND: StatusCode = StatusCode::NOT_FOUND;
const SIGNED_OUT: StatusCode = StatusCode::UNAUTHORIZED;

/// The organization, people and records this file's tests start from.
struct Scene {
    org: Uuid,
    rust: Uuid,
    postgres: Uuid,
}

async fn acme(world: &World) -> Scene {
    let org = world.acme().await.org;
    let rust = world.skill(org, "Rust").await;
    let postgres = world.skill(org, "PostgreSQL").await;
    Scene {
        org,
        rust,
        postgres,
    }
}

fn id_from(location: &Option<String>, prefix: &str) -> Uuid {
    location
        .as_deref()
        .and_then(|l| l.strip_prefix(prefix))
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a redirect to {prefix}…, got {location:?}"))
}

async fn create_set(client: &mut Client, title: &str, skills: &[Uuid]) -> Uuid {
    let form = SetForm {
        title: title.into(),
        description: "What a **backend** engineer knows.".into(),
        difficulty: "hard".into(),
        tags: "Backend, basics".into(),
        skills: skills.to_vec(),
    };
    let created = client.call(CreateQuestionSet { form }).await;
    assert_eq!(created.status, OK, "{}", created.body);
    id_from(&created.location, "/questions/sets/")
}

/// The form of a question of `kind` with its own fields filled in correctly.
fn question_form(kind: QuestionKind, prompt: &str) -> QuestionForm {
    let form = QuestionForm {
        kind: kind.as_str().into(),
        prompt_md: prompt.into(),
        points: "2".into(),
        difficulty: "easy".into(),
        tags: "sql".into(),
        explanation_md: "Because.".into(),
        guidance_md: "Look for clarity.".into(),
        ..QuestionForm::default()
    };
    match kind {
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => QuestionForm {
            options: vec![
                option("", "An index", true),
                option("", "   ", false),
                option("", "A trigger", false),
            ],
            ..form
        },
        QuestionKind::TrueFalse => QuestionForm {
            correct: "false".into(),
            ..form
        },
        QuestionKind::ShortText | QuestionKind::LongText => QuestionForm {
            model_answer: "A model answer".into(),
            ..form
        },
        QuestionKind::Numeric => QuestionForm {
            answer: "3.5".into(),
            tolerance: "0,1".into(),
            ..form
        },
        QuestionKind::Code => QuestionForm {
            language: "rust".into(),
            starter_code: "fn main() {}".into(),
            ..form
        },
    }
}

/// An option row as the form posts it: `id` empty for a new row, `correct` ticked or absent.
fn option(id: &str, text: &str, correct: bool) -> OptionRow {
    OptionRow {
        id: id.into(),
        text: text.into(),
        correct: correct.then(|| "on".into()),
    }
}

/// Creating a question of the set `set`.
fn in_set(set: Uuid, form: QuestionForm) -> CreateQuestion {
    CreateQuestion {
        set_id: Some(set),
        requisition_id: None,
        form,
    }
}

async fn add_question(client: &mut Client, set: Uuid, kind: QuestionKind, prompt: &str) {
    let added = client.call(in_set(set, question_form(kind, prompt))).await;
    assert_eq!(added.status, OK, "{kind:?}: {}", added.body);
    assert_eq!(added.location, Some(format!("/questions/sets/{set}")));
}

async fn load_set(client: &mut Client, id: Uuid) -> SetDetail {
    let response = client.call(LoadQuestionSet { id }).await;
    assert_eq!(response.status, OK, "{}", response.body);
    serde_json::from_str(&response.body).unwrap()
}

async fn load_question(client: &mut Client, id: Uuid) -> QuestionDetail {
    let response = client.call(LoadQuestion { id }).await;
    assert_eq!(response.status, OK, "{}", response.body);
    serde_json::from_str(&response.body).unwrap()
}

fn no_filters() -> ListQuestionSets {
    ListQuestionSets {
        text: None,
        difficulty: None,
        skill: None,
    }
}

async fn list(client: &mut Client, filters: ListQuestionSets) -> Vec<String> {
    let response = client.call(filters).await;
    assert_eq!(response.status, OK, "{}", response.body);
    let list: SetList = serde_json::from_str(&response.body).unwrap();
    list.items.into_iter().map(|s| s.title).collect()
}

fn prompts(set: &SetDetail) -> Vec<&str> {
    set.questions.iter().map(|q| q.headline.as_str()).collect()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_recruiter_builds_a_set_with_every_kind_orders_and_removes(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = acme(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let set = create_set(
        &mut recruiter,
        "Backend basics",
        &[scene.rust, scene.postgres],
    )
    .await;
    create_set(&mut recruiter, "Frontend basics", &[]).await;
    for (index, kind) in QuestionKind::ALL.into_iter().enumerate() {
        add_question(
            &mut recruiter,
            set,
            kind,
            &format!("Question {}", index + 1),
        )
        .await;
    }

    let detail = load_set(&mut recruiter, set).await;
    assert_eq!(detail.title, "Backend basics");
    assert_eq!(detail.tags, vec!["backend", "basics"]);
    assert!(detail.description_html.contains("<strong>backend</strong>"));
    let skills: Vec<&str> = detail.skills.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(skills, vec!["PostgreSQL", "Rust"]);
    let kinds: Vec<QuestionKind> = detail.questions.iter().map(|q| q.kind).collect();
    assert_eq!(kinds, QuestionKind::ALL.to_vec());
    assert!(detail.can_manage);

    // The blank option row is left out; the options are numbered from 1.
    let single = load_question(&mut recruiter, detail.questions[0].id).await;
    let options: Vec<(u32, &str, bool)> = single
        .body
        .options()
        .iter()
        .map(|o| (o.id, o.text.as_str(), o.correct))
        .collect();
    assert_eq!(
        options,
        vec![(1, "An index", true), (2, "A trigger", false)]
    );
    let numeric = load_question(&mut recruiter, detail.questions[5].id).await;
    assert_eq!(
        numeric.body,
        QuestionBody::Numeric {
            answer: 3.5,
            tolerance: 0.1
        }
    );

    // The list searches titles and tags and filters by difficulty and skill.
    assert_eq!(
        list(&mut recruiter, no_filters()).await,
        vec!["Backend basics", "Frontend basics"]
    );
    assert_eq!(
        list(
            &mut recruiter,
            ListQuestionSets {
                text: Some("FRONTEND".into()),
                ..no_filters()
            }
        )
        .await,
        vec!["Frontend basics"],
        "words of the title"
    );
    assert_eq!(
        list(
            &mut recruiter,
            ListQuestionSets {
                text: Some("backend".into()),
                ..no_filters()
            }
        )
        .await
        .len(),
        2,
        "a tag of both"
    );
    assert_eq!(
        list(
            &mut recruiter,
            ListQuestionSets {
                difficulty: Some("easy".into()),
                ..no_filters()
            }
        )
        .await
        .len(),
        0
    );
    assert_eq!(
        list(
            &mut recruiter,
            ListQuestionSets {
                skill: Some(scene.rust.to_string()),
                ..no_filters()
            }
        )
        .await,
        vec!["Backend basics"]
    );

    // Moving the third question up, then the first up (refused: nothing above it).
    let third = detail.questions[2].id;
    let moved = recruiter
        .call(MoveQuestion {
            id: third,
            direction: "up".into(),
        })
        .await;
    assert_eq!(moved.status, OK, "{}", moved.body);
    let after = load_set(&mut recruiter, set).await;
    assert_eq!(
        &prompts(&after)[..4],
        &["Question 1", "Question 3", "Question 2", "Question 4"]
    );
    let first = after.questions[0].id;
    let refused = recruiter
        .call(MoveQuestion {
            id: first,
            direction: "up".into(),
        })
        .await;
    assert_eq!(refused.status, INVALID);
    assert!(refused.body.contains("already the first"));
    let last = after.questions[6].id;
    let moved = recruiter
        .call(MoveQuestion {
            id: last,
            direction: "up".into(),
        })
        .await;
    assert_eq!(moved.status, OK);
    assert_eq!(
        &prompts(&load_set(&mut recruiter, set).await)[5..],
        &["Question 7", "Question 6"]
    );

    // Deleting a question takes it off the list; its page is gone.
    let deleted = recruiter.call(DeleteQuestion { id: third }).await;
    assert_eq!(deleted.status, OK, "{}", deleted.body);
    assert_eq!(load_set(&mut recruiter, set).await.questions.len(), 6);
    assert_eq!(
        recruiter.call(LoadQuestion { id: third }).await.status,
        NOT_FOUND
    );

    // Removing the set takes it out of the bank.
    let removed = recruiter.call(DeactivateQuestionSet { id: set }).await;
    assert_eq!(removed.status, OK, "{}", removed.body);
    assert_eq!(
        list(&mut recruiter, no_filters()).await,
        vec!["Frontend basics"]
    );
    assert_eq!(
        recruiter.call(LoadQuestionSet { id: set }).await.status,
        NOT_FOUND
    );
    assert_eq!(
        recruiter.call(LoadQuestion { id: first }).await.status,
        NOT_FOUND,
        "the questions of a removed set are gone with it"
    );

    let actions = world.audit_actions(scene.org).await;
    for action in [
        "question_set.created",
        "question.created",
        "question.moved",
        "question.deleted",
        "question_set.deactivated",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
    assert_eq!(
        actions.iter().filter(|a| *a == "question.created").count(),
        7
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn bad_questions_get_a_message_and_option_ids_survive_edits(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = acme(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let set = create_set(&mut recruiter, "Backend basics", &[]).await;

    let bad = QuestionForm {
        answer: "about ten".into(),
        ..question_form(QuestionKind::Numeric, "How many?")
    };
    let refused = recruiter.call(in_set(set, bad)).await;
    assert_eq!(refused.status, INVALID);
    assert!(
        refused.body.contains("The correct answer must be a number"),
        "{}",
        refused.body
    );

    let mut both_correct = question_form(QuestionKind::SingleChoice, "Pick one");
    both_correct.options[2].correct = Some("on".into());
    let refused = recruiter.call(in_set(set, both_correct)).await;
    assert_eq!(refused.status, INVALID);
    assert!(refused.body.contains("Mark exactly one option as correct."));

    let unknown_kind = QuestionForm {
        kind: "essay".into(),
        ..question_form(QuestionKind::ShortText, "Hm")
    };
    assert_eq!(
        recruiter.call(in_set(set, unknown_kind)).await.status,
        INVALID
    );
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM questions")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing was saved");

    // An edit keeps the ids of the options it keeps; new options get new ids, and a
    // removed option's id is not given to another.
    add_question(
        &mut recruiter,
        set,
        QuestionKind::MultipleChoice,
        "Which are indexes?",
    )
    .await;
    let id = load_set(&mut recruiter, set).await.questions[0].id;
    let edit = UpdateQuestion {
        id,
        form: QuestionForm {
            kind: "single_choice".into(),
            prompt_md: "Which are indexes, really?".into(),
            points: "3".into(),
            difficulty: "hard".into(),
            options: vec![
                option("2", "A trigger (renamed)", false),
                option("", "A B-tree", true),
                option("", "A GIN index", true),
            ],
            ..QuestionForm::default()
        },
    };
    let saved = recruiter.call(edit).await;
    assert_eq!(saved.status, OK, "{}", saved.body);
    let question = load_question(&mut recruiter, id).await;
    assert_eq!(
        question.body.kind(),
        QuestionKind::MultipleChoice,
        "the kind stays"
    );
    let options: Vec<(u32, &str, bool)> = question
        .body
        .options()
        .iter()
        .map(|o| (o.id, o.text.as_str(), o.correct))
        .collect();
    assert_eq!(
        options,
        vec![
            (2, "A trigger (renamed)", false),
            (3, "A B-tree", true),
            (4, "A GIN index", true)
        ]
    );
    assert_eq!(
        (question.points, question.prompt_md.as_str()),
        (3, "Which are indexes, really?")
    );
    assert!(world
        .audit_actions(scene.org)
        .await
        .contains(&"question.updated".to_string()));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_question_belongs_to_a_set_or_a_requisition_never_both(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = acme(&world).await;
    let manager_id: Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'manager@acme.test'")
            .fetch_one(&world.pool)
            .await
            .unwrap();
    let managed = world
        .requisition(scene.org, "Backend engineer", Some(manager_id))
        .await;
    let other = world.requisition(scene.org, "Designer", None).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let set = create_set(&mut recruiter, "Backend basics", &[]).await;

    // The database refuses both owners and neither.
    let insert = |set: Option<Uuid>, requisition: Option<Uuid>| {
        sqlx::query(
            "INSERT INTO questions (org_id, question_set_id, requisition_id, kind, prompt_md, body)
             VALUES ($1, $2, $3, 'short_text', 'Why?', '{\"kind\": \"short_text\"}')",
        )
        .bind(scene.org)
        .bind(set)
        .bind(requisition)
        .execute(&world.pool)
    };
    for (set, requisition) in [(Some(set), Some(managed)), (None, None)] {
        let error = insert(set, requisition).await.unwrap_err();
        let constraint = error
            .as_database_error()
            .and_then(|e| e.constraint())
            .map(str::to_string);
        assert_eq!(constraint.as_deref(), Some("questions_one_owner"));
    }

    // The server functions take either owner, never both.
    let form = question_form(QuestionKind::LongText, "Tell us about a hard bug.");
    let refused = recruiter
        .call(CreateQuestion {
            set_id: Some(set),
            requisition_id: Some(managed),
            form: form.clone(),
        })
        .await;
    assert_eq!(refused.status, INVALID);
    assert!(refused.body.contains("not both"));
    let added = recruiter
        .call(CreateQuestion {
            set_id: None,
            requisition_id: Some(managed),
            form,
        })
        .await;
    assert_eq!(added.status, OK, "{}", added.body);
    assert_eq!(
        added.location,
        Some(format!("/requisitions/{managed}/questions"))
    );

    let of = |requisition_id: Uuid| RequisitionQuestions { requisition_id };
    let listed = recruiter.call(of(managed)).await;
    assert_eq!(listed.status, OK, "{}", listed.body);
    let questions: Vec<QuestionSummary> = serde_json::from_str(&listed.body).unwrap();
    assert_eq!(questions.len(), 1);
    assert_eq!(questions[0].kind, QuestionKind::LongText);
    assert!(load_set(&mut recruiter, set).await.questions.is_empty());

    // A hiring manager sees the questions of their requisition, not of another's.
    let mut manager = world.signed_in("manager@acme.test").await;
    assert_eq!(manager.call(of(managed)).await.status, OK);
    let question = load_question(&mut manager, questions[0].id).await;
    assert!(!question.can_manage);
    assert_eq!(manager.call(of(other)).await.status, NOT_FOUND);
}

/// A draft assessment of `requisition`, written as the app writes one.
async fn draft_assessment(world: &World, org: Uuid, requisition: Uuid) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO assessments (org_id, requisition_id, family_id, title, instructions_md,
            time_limit_minutes, pass_mark_percent, proctoring)
         VALUES ($1, $2, gen_random_uuid(), 'Screen', '', 30, 50, '{}') RETURNING id",
    )
    .bind(org)
    .bind(requisition)
    .fetch_one(&world.pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_job_s_questions_are_on_its_page_and_its_assessments_ask_them_first(pool: PgPool) {
    use app::assessments::{AddQuestionItem, ItemChoices, LoadItemChoices, QuestionSource};

    let world = World::init(pool).await;
    let scene = acme(&world).await;
    let job = world.requisition(scene.org, "Backend engineer", None).await;
    let other = world.requisition(scene.org, "Designer", None).await;
    sqlx::query(
        "INSERT INTO requisition_skills (requisition_id, skill_id, required) VALUES ($1, $2, true)",
    )
    .bind(job)
    .bind(scene.rust)
    .execute(&world.pool)
    .await
    .unwrap();
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let rust_set = create_set(&mut recruiter, "Rust basics", &[scene.rust]).await;
    add_question(
        &mut recruiter,
        rust_set,
        QuestionKind::ShortText,
        "What does the borrow checker check?",
    )
    .await;
    let sql_set = create_set(&mut recruiter, "SQL basics", &[scene.postgres]).await;
    add_question(
        &mut recruiter,
        sql_set,
        QuestionKind::ShortText,
        "What is an index for?",
    )
    .await;
    for (requisition, prompt) in [
        (job, "Describe our payment flow's failure modes."),
        (other, "Sketch a logo."),
    ] {
        let added = recruiter
            .call(CreateQuestion {
                set_id: None,
                requisition_id: Some(requisition),
                form: question_form(QuestionKind::LongText, prompt),
            })
            .await;
        assert_eq!(added.status, OK, "{}", added.body);
    }
    let page = recruiter
        .get(&format!("/requisitions/{job}/questions"))
        .await;
    assert_eq!(page.status, OK);
    assert!(page.body.contains("Describe our payment flow"));
    assert!(!page.body.contains("Sketch a logo"));
    let new = recruiter
        .get(&format!("/requisitions/{job}/questions/new?kind=long_text"))
        .await;
    assert!(new.body.contains("name=\"requisition_id\""));

    // The builder offers the job's own questions first, then the sets that cover its
    // skills, then the rest; another job's questions not at all.
    let assessment = draft_assessment(&world, scene.org, job).await;
    let choices = recruiter
        .call(LoadItemChoices {
            assessment_id: assessment,
        })
        .await;
    assert_eq!(choices.status, OK, "{}", choices.body);
    let choices: ItemChoices = serde_json::from_str(&choices.body).unwrap();
    let sources: Vec<(&QuestionSource, &str)> = choices
        .questions
        .iter()
        .map(|q| (&q.source, q.headline.as_str()))
        .collect();
    assert_eq!(
        sources,
        [
            (
                &QuestionSource::ThisJob,
                "Describe our payment flow's failure modes."
            ),
            (
                &QuestionSource::Suggested("Rust basics".into()),
                "What does the borrow checker check?"
            ),
            (
                &QuestionSource::Bank("SQL basics".into()),
                "What is an index for?"
            ),
        ]
    );
    let own = choices.questions[0].id;
    let added = recruiter
        .call(AddQuestionItem {
            assessment_id: assessment,
            question_id: own.to_string(),
        })
        .await;
    assert!(added.status.is_success(), "{}", added.body);
    let theirs: Uuid = sqlx::query_scalar("SELECT id FROM questions WHERE requisition_id = $1")
        .bind(other)
        .fetch_one(&world.pool)
        .await
        .unwrap();
    let refused = recruiter
        .call(AddQuestionItem {
            assessment_id: assessment,
            question_id: theirs.to_string(),
        })
        .await;
    assert_eq!(
        refused.status, INVALID,
        "another job's question is not this one's to ask"
    );
    let items: i64 =
        sqlx::query_scalar("SELECT count(*) FROM assessment_items WHERE assessment_id = $1")
            .bind(assessment)
            .fetch_one(&world.pool)
            .await
            .unwrap();
    assert_eq!(items, 1);
}

fn export_path(set: Uuid) -> String {
    format!("/questions/sets/{set}/export.json")
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn export_then_import_gives_an_equal_set(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = acme(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let set = create_set(&mut recruiter, "Backend basics", &[scene.rust]).await;
    for kind in QuestionKind::ALL {
        add_question(
            &mut recruiter,
            set,
            kind,
            &format!("A {} question", kind.label()),
        )
        .await;
    }

    let exported = recruiter.get(&export_path(set)).await;
    assert_eq!(exported.status, OK, "{}", exported.body);
    let file: SetFile = serde_json::from_str(&exported.body).unwrap();
    assert_eq!(file.format, "are.question_set.v1");
    assert_eq!(file.skills, vec!["Rust"]);
    assert_eq!(file.questions.len(), 7);
    let raw: serde_json::Value = serde_json::from_str(&exported.body).unwrap();
    assert_eq!(raw["questions"][5]["kind"], "numeric");
    assert_eq!(raw["questions"][5]["answer"], 3.5);

    let imported = recruiter
        .upload::<ImportQuestionSet>("backend.json", "application/json", exported.body.as_bytes())
        .await;
    assert_eq!(imported.status, OK, "{}", imported.body);
    let copy = id_from(&imported.location, "/questions/sets/");
    assert_ne!(copy, set);
    assert_eq!(
        imported.location,
        Some(format!("/questions/sets/{copy}")),
        "no skill was skipped"
    );
    let again = recruiter.get(&export_path(copy)).await;
    assert_eq!(
        serde_json::from_str::<SetFile>(&again.body).unwrap(),
        file,
        "the copy exports as the original"
    );
    assert!(world
        .audit_actions(scene.org)
        .await
        .contains(&"question_set.imported".to_string()));

    // Another organization gets the set; skills it does not have are named and skipped.
    let globex = world.org("Globex").await;
    world
        .user(globex, Role::Recruiter, "recruiter@globex.test")
        .await;
    let mut outsider = world.signed_in("recruiter@globex.test").await;
    let imported = outsider
        .upload::<ImportQuestionSet>("backend.json", "application/json", exported.body.as_bytes())
        .await;
    assert_eq!(imported.status, OK, "{}", imported.body);
    assert!(imported
        .location
        .as_deref()
        .unwrap()
        .ends_with("?skipped_skills=Rust"));
    let theirs = id_from(&imported.location, "/questions/sets/");
    let detail = load_set(&mut outsider, theirs).await;
    assert!(detail.skills.is_empty());
    assert_eq!(detail.questions.len(), 7);
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn an_import_with_one_bad_question_imports_nothing(pool: PgPool) {
    let world = World::init(pool).await;
    acme(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let file = serde_json::json!({
        "format": "are.question_set.v1",
        "title": "Broken",
        "questions": [
            { "kind": "true_false", "correct": true, "prompt_md": "Fine", "points": 1 },
            { "kind": "numeric", "answer": 1.0, "tolerance": -1.0, "prompt_md": "Bad", "points": 1 }
        ]
    })
    .to_string();
    let cases: Vec<(&str, &str, Vec<u8>, &str)> = vec![
        (
            "broken.json",
            "application/json",
            file.into_bytes(),
            "Question 2: The tolerance",
        ),
        (
            "notes.txt",
            "text/plain",
            b"{}".to_vec(),
            "Choose a .json file",
        ),
        (
            "broken.json",
            "application/json",
            b"{ \"format\": ".to_vec(),
            "not valid JSON",
        ),
        (
            "other.json",
            "application/json",
            br#"{"format": "x", "title": "t"}"#.to_vec(),
            "format",
        ),
        (
            "big.json",
            "application/json",
            vec![b' '; 2 * 1024 * 1024 + 1],
            "larger than 2 MB",
        ),
        (
            "empty.json",
            "application/json",
            Vec::new(),
            "Choose a question set file",
        ),
    ];
    for (name, content_type, bytes, needle) in cases {
        let refused = recruiter
            .upload::<ImportQuestionSet>(name, content_type, &bytes)
            .await;
        assert_eq!(refused.status, INVALID, "{name}: {}", refused.body);
        assert!(refused.body.contains(needle), "{name}: {}", refused.body);
    }
    let sets: i64 = sqlx::query_scalar("SELECT count(*) FROM question_sets")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    let questions: i64 = sqlx::query_scalar("SELECT count(*) FROM questions")
        .fetch_one(&world.pool)
        .await
        .unwrap();
    assert_eq!((sets, questions), (0, 0));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn pages_show_the_bank_and_hide_changes_from_hiring_managers(pool: PgPool) {
    let world = World::init(pool).await;
    acme(&world).await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let set = create_set(&mut recruiter, "Backend basics", &[]).await;
    add_question(
        &mut recruiter,
        set,
        QuestionKind::SingleChoice,
        "Which **speeds up** lookups?",
    )
    .await;
    add_question(&mut recruiter, set, QuestionKind::Code, "Write `main`").await;
    let questions = load_set(&mut recruiter, set).await.questions;
    let (single, code) = (questions[0].id, questions[1].id);

    let page = recruiter.get("/questions").await;
    assert_eq!(page.status, OK);
    assert!(page.body.contains("Backend basics") && page.body.contains("Import a question set"));
    let page = recruiter.get(&format!("/questions/sets/{set}")).await;
    assert!(page.body.contains("Add question") && page.body.contains("Move down"));
    // The list shows each prompt's first line as plain text, not its Markdown.
    assert!(
        page.body.contains(">Which speeds up lookups?</a>")
            && page.body.contains(">Write main</a>"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("**speeds up**"));
    let preview = recruiter.get(&format!("/questions/{single}/preview")).await;
    assert_eq!(preview.status, OK);
    assert!(preview.body.contains("<strong>speeds up</strong>"));
    assert!(preview.body.contains("type=\"radio\""));
    assert!(preview.body.contains("class=\"correct-answer\">An index<"));
    let preview = recruiter.get(&format!("/questions/{code}/preview")).await;
    assert!(preview.body.contains("fn main() {}"));
    let edit = recruiter.get(&format!("/questions/{single}/edit")).await;
    assert!(edit.body.contains("value=\"An index\""));
    for path in [
        "/questions/sets/new".to_string(),
        format!("/questions/sets/{set}/new?kind=numeric"),
    ] {
        assert_eq!(recruiter.get(&path).await.status, OK, "{path}");
    }

    let mut manager = world.signed_in("manager@acme.test").await;
    let page = manager.get(&format!("/questions/sets/{set}")).await;
    assert_eq!(page.status, OK);
    assert!(page.body.contains("Which speeds up lookups?"));
    assert!(!page.body.contains("Add question") && !page.body.contains("Move down"));
    assert!(!manager
        .get("/questions")
        .await
        .body
        .contains("Import a question set"));
    assert_eq!(
        manager
            .get(&format!("/questions/{single}/preview"))
            .await
            .status,
        OK
    );
    assert_eq!(
        manager
            .get(&format!("/questions/{single}/edit"))
            .await
            .status,
        FORBIDDEN
    );

    let mut interviewer = world.signed_in("interviewer@acme.test").await;
    assert_eq!(interviewer.get("/questions").await.status, FORBIDDEN);
    assert!(!interviewer
        .get("/")
        .await
        .body
        .contains("href=\"/questions\""));
    assert!(recruiter
        .get("/")
        .await
        .body
        .contains("href=\"/questions\""));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn who_may_read_and_change_the_bank(pool: PgPool) {
    let world = World::init(pool).await;
    let scene = acme(&world).await;
    let globex = world.org("Globex").await;
    world.user(globex, Role::Admin, "admin@globex.test").await;
    let mut recruiter = world.signed_in("recruiter@acme.test").await;
    let set = create_set(&mut recruiter, "Backend basics", &[]).await;
    add_question(&mut recruiter, set, QuestionKind::TrueFalse, "First").await;
    add_question(&mut recruiter, set, QuestionKind::TrueFalse, "Second").await;
    let question = load_set(&mut recruiter, set).await.questions[1].id;
    let requisition = world.requisition(scene.org, "Backend engineer", None).await;

    // Past the permission checks, bad input answers 422, so the allowed mutations are
    // told apart from the refused ones without changing anything.
    let blank_title = || SetForm {
        title: " ".into(),
        ..SetForm::default()
    };
    let bad_question = || question_form(QuestionKind::Numeric, " ");
    let cases = [
        Call::new(no_filters()),
        Call::new(LoadQuestionSet { id: set }),
        Call::new(LoadQuestion { id: question }),
        Call::new(RequisitionQuestions {
            requisition_id: requisition,
        }),
        Call::new(QuestionSetSkills {}),
        Call::new(CreateQuestionSet {
            form: blank_title(),
        }),
        Call::new(UpdateQuestionSet {
            id: set,
            form: blank_title(),
        }),
        Call::new(in_set(set, bad_question())),
        Call::new(UpdateQuestion {
            id: question,
            form: bad_question(),
        }),
        Call::new(MoveQuestion {
            id: question,
            direction: "down".into(),
        }),
    ];
    let matrix: [(&str, [StatusCode; 10]); 5] = [
        (
            "admin@acme.test",
            [
                OK, OK, OK, OK, OK, INVALID, INVALID, INVALID, INVALID, INVALID,
            ],
        ),
        (
            "recruiter@acme.test",
            [
                OK, OK, OK, OK, OK, INVALID, INVALID, INVALID, INVALID, INVALID,
            ],
        ),
        (
            "manager@acme.test",
            [
                OK, OK, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
                FORBIDDEN,
            ],
        ),
        ("interviewer@acme.test", [FORBIDDEN; 10]),
        (
            "admin@globex.test",
            [
                OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, INVALID, INVALID, NOT_FOUND, NOT_FOUND,
                NOT_FOUND,
            ],
        ),
    ];
    let set_path = export_path(set);
    for (email, expected) in matrix {
        let mut client = world.signed_in(email).await;
        for (call, want) in cases.iter().zip(expected) {
            assert_eq!(
                client.send_call(call).await.status,
                want,
                "{email} {}",
                call.path
            );
        }
        let export = client.get(&set_path).await.status;
        assert_eq!(export, expected[1], "{email} exports");
        // The destructive ones, checked last: refused for all but the set's managers.
        let refused = match email {
            "manager@acme.test" | "interviewer@acme.test" => FORBIDDEN,
            "admin@globex.test" => NOT_FOUND,
            _ => continue,
        };
        let answers = [
            (
                DeleteQuestion::PATH,
                client.call(DeleteQuestion { id: question }).await,
            ),
            (
                DeactivateQuestionSet::PATH,
                client.call(DeactivateQuestionSet { id: set }).await,
            ),
        ];
        for (endpoint, response) in answers {
            assert_eq!(response.status, refused, "{email} {endpoint}");
        }
        let import = client
            .upload::<ImportQuestionSet>("x.json", "application/json", b"{}")
            .await
            .status;
        assert_eq!(
            import,
            if refused == FORBIDDEN {
                FORBIDDEN
            } else {
                INVALID
            },
            "{email} imports"
        );
    }
    let mut signed_out = world.client();
    for call in &cases {
        assert_eq!(
            signed_out.send_call(call).await.status,
            SIGNED_OUT,
            "{}",
            call.path
        );
    }
    assert_eq!(
        signed_out.call(DeleteQuestion { id: set }).await.status,
        SIGNED_OUT
    );
    assert_eq!(
        signed_out
            .call(DeactivateQuestionSet { id: set })
            .await
            .status,
        SIGNED_OUT
    );
    assert_eq!(signed_out.get(&set_path).await.status, SIGNED_OUT);
    assert_eq!(
        signed_out
            .upload::<ImportQuestionSet>("x.json", "application/json", b"{}")
            .await
            .status,
        SIGNED_OUT
    );
    assert_eq!(
        signed_out
            .get("/questions/sets/not-an-id/export.json")
            .await
            .status,
        SIGNED_OUT
    );

    // Nothing was changed by the refused calls; the managers may still delete and remove.
    let mut admin = world.signed_in("admin@acme.test").await;
    assert_eq!(load_set(&mut admin, set).await.questions.len(), 2);
    assert_eq!(admin.call(DeleteQuestion { id: question }).await.status, OK);
    assert_eq!(
        admin.call(DeactivateQuestionSet { id: set }).await.status,
        OK
    );
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn the_demo_has_a_question_of_every_kind_loaded_once(pool: PgPool) {
    let world = World::init(pool).await;
    let hasher = app::auth::password::PasswordHasher::new();
    assert!(are::demo::load_if_empty(&world.pool, &hasher)
        .await
        .unwrap());
    assert!(!are::demo::load_if_empty(&world.pool, &hasher)
        .await
        .unwrap());
    let mut client = world.client();
    let signed_in = client
        .sign_in("recruiter@acme.example", "acme-recruiter-password")
        .await;
    assert_eq!(signed_in.status, OK, "{}", signed_in.body);
    let listed = client.call(no_filters()).await;
    let sets: SetList = serde_json::from_str(&listed.body).unwrap();
    // Beside the assessments' demo set "Demo: general aptitude".
    assert_eq!(sets.items.len(), 2);
    let backend = sets
        .items
        .iter()
        .find(|s| s.title == "Backend engineering basics")
        .expect("the bank's demo set");
    assert_eq!(backend.skills, vec!["PostgreSQL", "Rust"]);
    let set = load_set(&mut client, backend.id).await;
    let kinds: Vec<QuestionKind> = set.questions.iter().map(|q| q.kind).collect();
    assert_eq!(kinds, QuestionKind::ALL.to_vec());
}
