// Structured interviews end to end: a recruiter sets up a requisition's scorecard and
// interview plan and schedules two interviews of one candidate with two interviewers
// (two colleagues an admin invites). Each interviewer sees only
// their own interview and kit and nothing of the other's feedback, keeps a draft across a
// reload and submits; the first to submit still sees nothing of the second until the
// second submits. The recruiter is notified, reads the debrief's matrix and decides; the
// candidate moves on the board.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ACCOUNTS, launch, newPage, signIn, hydrated, waitForEmail, inviteLink, screenshot } from "./helpers.js";

/// An admin invites an interviewer, who joins through the emailed link; their account.
async function inviteInterviewer(browser, name, email, password) {
  const admin = await newPage(browser);
  await signIn(admin.page, ACCOUNTS.admin);
  await admin.page.goto("/admin/users");
  await hydrated(admin.page);
  await admin.page.getByLabel("Name").fill(name);
  await admin.page.getByLabel("Email").fill(email);
  await admin.page.getByLabel("Role", { exact: true }).selectOption({ label: "Interviewer" });
  await admin.page.getByRole("button", { name: "Send invitation" }).click();
  await admin.page.getByRole("cell", { name: email, exact: true }).waitFor();
  await admin.context.close();
  const joining = await newPage(browser);
  await joining.page.goto(inviteLink(await waitForEmail(email)));
  await hydrated(joining.page);
  await joining.page.getByLabel("Password", { exact: true }).fill(password);
  await joining.page.getByLabel("Repeat the password").fill(password);
  await joining.page.getByRole("button", { name: "Create my account" }).click();
  await joining.page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
  assert.equal(await joining.page.locator(".role-badge").textContent(), "Interviewer");
  await joining.context.close();
  return { email, password };
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const pad = (n) => String(n).padStart(2, "0");
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/// The two interviewers' names by who they are ("iris", "ivan"), set by the test.
const PEOPLE = {};

/// The debrief's matrix as { rowName: { interviewerName: cellText } }.
async function matrix(page) {
  const table = page.locator("table.debrief");
  const headers = (await table.locator("thead th").allTextContents()).slice(1);
  const result = {};
  for (const row of await table.locator("tbody tr").all()) {
    const name = (await row.locator("th").textContent()).replace(/ disagree$/, "").trim();
    const cells = await row.locator("td").allTextContents();
    result[name] = {};
    headers.forEach((header, i) => {
      const interviewer = Object.keys(PEOPLE).find((who) => header.startsWith(PEOPLE[who]));
      result[name][interviewer ?? header] = cells[i].trim();
    });
  }
  return result;
}

/// `hydrated` for pages whose first island form sits in a closed <details> (the
/// scorecard's "Change …" forms): waits for it to be live, visible or not.
async function hydratedHidden(page) {
  await page.locator("form[data-hydrated=true]").first().waitFor({ state: "attached" });
}

/// Chooses a rating in the feedback form: `level` is the option's name ("3 · Solid", …).
async function rate(page, attribute, level) {
  await page
    .getByRole("group", { name: attribute, exact: true })
    .getByRole("radio", { name: new RegExp(`^${escape(level)}`) })
    .check();
}

function radio(page, group, name) {
  return page.getByRole("group", { name: group, exact: true }).getByRole("radio", { name: new RegExp(`^${escape(name)}`) });
}

test("a scorecard, an interview plan, two independent interviewers, the debrief and the decision", async () => {
  const stamp = Date.now();
  const title = `Platform engineer ${stamp}`;
  const candidate = `Barbara Liskov ${stamp}`;
  const ivanName = `Ivan Panelist ${stamp}`;
  const ivanEmail = `ivan.${stamp}@acme.example`;
  const ivanPassword = `ivan's long password ${stamp}`;
  const irisName = `Iris Panelist ${stamp}`;
  PEOPLE.iris = irisName;
  PEOPLE.ivan = ivanName;
  const irisStrengths = `Iris-strength-${stamp}: explained ownership and borrowing crisply.`;
  const ivanConcerns = `Ivan-concern-${stamp}: vague on index choices.`;

  // An admin invites both interviewers, who join through the emailed links.
  const iris = await inviteInterviewer(browser, irisName, `iris.${stamp}@acme.example`, `iris's long password ${stamp}`);
  const ivan = await inviteInterviewer(browser, ivanName, ivanEmail, ivanPassword);

  // The recruiter: a requisition needing Rust and PostgreSQL, opened.
  const recruiter = await newPage(browser);
  const rp = recruiter.page;
  await signIn(rp, ACCOUNTS.recruiter);
  await rp.goto("/requisitions/new");
  await hydrated(rp);
  await rp.getByLabel("Title").fill(title);
  await rp.getByLabel("Hiring manager").selectOption({ label: "Hugo Manager (hiring manager)" });
  const required = rp.getByRole("group", { name: "Required skills" });
  await required.getByLabel("Rust", { exact: true }).check();
  await required.getByLabel("PostgreSQL", { exact: true }).check();
  await rp.getByRole("button", { name: "Create requisition" }).click();
  await rp.getByRole("heading", { level: 1, name: title }).waitFor();
  const requisitionUrl = rp.url();
  await hydrated(rp);
  await rp.getByRole("button", { name: "Open", exact: true }).click();
  await rp.getByRole("button", { name: "Put on hold" }).waitFor();

  // The scorecard: the required skills, and a trait with its four anchors.
  await rp.getByRole("link", { name: "Scorecard and interview plan" }).click();
  await rp.getByRole("heading", { level: 1, name: `Scorecard and interview plan: ${title}` }).waitFor();
  await hydratedHidden(rp);
  await rp.getByRole("button", { name: /^Add the required skills \(/ }).click();
  const attributes = rp.locator("li.attribute > strong");
  await attributes.filter({ hasText: /^PostgreSQL$/ }).waitFor();
  await attributes.filter({ hasText: /^Rust$/ }).waitFor();
  await hydratedHidden(rp);
  const addAttribute = rp.locator("details").filter({ has: rp.locator("summary", { hasText: "Add an attribute" }) });
  await addAttribute.locator("summary").click();
  await addAttribute.getByLabel("Category").selectOption({ label: "Traits" });
  await addAttribute.getByLabel("Attribute", { exact: true }).fill("Ownership");
  await addAttribute.getByLabel(/What a 1 looks like/).fill("Blames others; drops what is hard.");
  await addAttribute.getByLabel(/What a 2 looks like/).fill("Finishes own tasks when reminded.");
  await addAttribute.getByLabel(/What a 3 looks like/).fill("Sees own work through, unprompted.");
  await addAttribute.getByLabel(/What a 4 looks like/).fill("Takes on the team's problems as their own.");
  await addAttribute.getByRole("button", { name: "Add attribute" }).click();
  await attributes.filter({ hasText: /^Ownership$/ }).waitFor();
  assert.equal(await attributes.count(), 3);

  // The interview plan: two stages, each with its focus attributes and questions.
  const stages = [
    {
      name: "Technical deep dive",
      focus: ["Rust (Skills)", "PostgreSQL (Skills)"],
      questions: ["Walk me through a borrow-checker fight you lost.", "When is a B-tree index the wrong choice?"],
      notes: "Push for trade-offs, not definitions.",
    },
    {
      name: "Values conversation",
      focus: ["Ownership (Traits)", "PostgreSQL (Skills)"],
      questions: ["Tell me about an outage you owned.", "How did you size the database for it?"],
      notes: "Listen for 'I' rather than 'we'.",
    },
  ];
  for (const stage of stages) {
    await hydratedHidden(rp);
    const form = rp.locator("form").filter({ has: rp.getByRole("button", { name: "Add stage" }) });
    await form.getByLabel("Stage", { exact: true }).fill(stage.name);
    await form.getByLabel("Duration (minutes)").fill("45");
    for (const attribute of stage.focus) {
      // By its label, as a person finds it (the second stage's form must name its own
      // checkboxes, not the first stage's "Change" form's).
      const box = form.getByRole("checkbox", { name: attribute, exact: true });
      assert.equal(await box.count(), 1, `the "Add stage" form has a checkbox labelled "${attribute}"`);
      await box.check();
    }
    await form.getByLabel("Questions to ask (one a line)").fill(stage.questions.join("\n"));
    await form.getByLabel("Prep notes for the interviewer").fill(stage.notes);
    await form.getByRole("button", { name: "Add stage" }).click();
    const item = rp.locator("li.plan-stage").filter({ has: rp.locator("strong", { hasText: stage.name }) });
    await item.waitFor();
    const summary = await item.textContent();
    assert.match(summary, /45 minutes/);
    assert.match(summary, /2 questions/);
    for (const attribute of stage.focus) {
      assert.ok(summary.includes(attribute.replace(/ \(.*\)$/, "")), `${stage.name} rates ${attribute}: ${summary}`);
    }
  }

  // The candidate, into the pipeline.
  await rp.goto("/candidates/new");
  await hydrated(rp);
  await rp.getByLabel("Name").fill(candidate);
  await rp.getByLabel("Email").fill(`barbara.${stamp}@mit.example`);
  await rp.getByLabel("Headline").fill("Abstraction and substitution");
  await rp.getByRole("button", { name: "Add candidate" }).click();
  await rp.getByRole("heading", { level: 1, name: candidate }).waitFor();
  await hydrated(rp);
  await rp.getByLabel("Requisition").selectOption({ label: title });
  await rp.getByRole("button", { name: "Add to pipeline" }).click();
  await rp.getByRole("link", { name: "Application", exact: true }).click();
  await rp.getByRole("heading", { level: 1, name: `${candidate} · ${title}` }).waitFor();
  const applicationUrl = new URL(rp.url()).pathname;

  // Two interviews at the same time, starting now (the demo's zone is UTC; the form
  // takes a start up to a minute past), one per interviewer, each for its stage of the
  // plan: feedback is submitted once an interview has started.
  const startingNow = () => {
    const now = new Date();
    return `${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1)}-${pad(now.getUTCDate())}T${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}`;
  };
  const interviews = rp.getByRole("region", { name: "Interviews" });
  const booked = {};
  for (const [who, name, kind, stage] of [
    ["iris", irisName, "Technical", stages[0].name],
    ["ivan", ivanName, "Culture", stages[1].name],
  ]) {
    await hydrated(rp);
    // The form of a new interview (each booked one has its own reschedule form below).
    const schedule = rp.locator("form").filter({ has: rp.getByRole("button", { name: "Schedule interview" }) });
    await schedule.getByLabel("Interviewer", { exact: true }).selectOption({ label: `${name} · Interviewer` });
    await schedule.getByLabel("Type").selectOption({ label: kind });
    await schedule.getByLabel("Interview plan stage").selectOption({ label: stage });
    await schedule.getByLabel(/^Start \(/).fill(startingNow());
    await schedule.getByLabel("Duration (minutes)").fill("45");
    await schedule.getByLabel("Location").fill("Room 2");
    await schedule.getByLabel("Schedule anyway if the interviewer is busy then").check();
    await schedule.getByRole("button", { name: "Schedule interview" }).click();
    const item = interviews.locator(".interview", { hasText: `with ${name}` });
    await item.waitFor();
    assert.match(await item.textContent(), new RegExp(`${kind} \\(${escape(stage)}\\)`));
    booked[who] = { kind, stage, url: await item.getByRole("link").first().getAttribute("href") };
  }
  assert.notEqual(booked.iris.url, booked.ivan.url);

  // Nothing submitted yet: the debrief says so and offers reminders.
  await rp.getByRole("link", { name: "Debrief and decision" }).click();
  await rp.getByRole("heading", { level: 1, name: `Debrief: ${candidate} · ${title}` }).waitFor();
  await rp.getByText("Feedback submitted: 0 of 2.").waitFor();
  await rp.getByRole("button", { name: `Remind ${irisName}` }).waitFor();
  await rp.getByRole("button", { name: `Remind ${ivanName}` }).waitFor();

  /// Signs an interviewer in and opens their interview from the dashboard, checking it is
  /// the only one they have of this candidate and that the other one is not theirs to see.
  async function openKit(account, who, other) {
    const session = await newPage(browser);
    const page = session.page;
    await signIn(page, account);
    const upcoming = page.getByRole("region", { name: "Your upcoming interviews" });
    const mine = upcoming.getByRole("listitem").filter({ hasText: candidate });
    await mine.first().waitFor();
    assert.equal(await mine.count(), 1, `${who} has one interview of the candidate`);
    assert.match(await mine.textContent(), new RegExp(`with ${escape(PEOPLE[who])}`));
    const response = await page.goto(booked[other].url);
    assert.equal(response.status(), 404, `${who} cannot open ${other}'s interview`);
    assert.equal(await page.getByText(PEOPLE[other]).count(), 0);
    const debrief = await page.goto(`${applicationUrl}/debrief`);
    assert.notEqual(debrief.status(), 200, `${who} cannot open the debrief`);
    await page.goto("/");
    await mine.getByRole("link").click();
    await page.getByRole("heading", { level: 1, name: `${booked[who].kind} interview: ${candidate}` }).waitFor();
    assert.equal(new URL(page.url()).pathname, booked[who].url);
    return session;
  }

  /// The kit shows the stage's plan, and the colleagues' section hides everything.
  async function checkKitBeforeSubmitting(page, who, stage) {
    await page.getByRole("heading", { level: 2, name: `Interview plan: ${stage.name}` }).waitFor();
    for (const question of stage.questions) await page.getByText(question, { exact: true }).waitFor();
    await page.getByText(stage.notes, { exact: true }).waitFor();
    await page.getByRole("heading", { level: 2, name: "Your feedback" }).waitFor();
    await page.getByRole("heading", { level: 2, name: "Colleagues' feedback" }).waitFor();
    await page.getByText(/^Your colleagues' feedback on this candidate appears here once you have given feedback for each of your interviews/).waitFor();
    assert.equal(await page.locator(".feedback-card").count(), 0, `${who} sees no colleague's feedback`);
  }

  // Iris: her kit, a draft saved as she types, still there after a reload.
  const irisSession = await openKit(iris, "iris", "ivan");
  const ip = irisSession.page;
  await checkKitBeforeSubmitting(ip, "iris", stages[0]);
  assert.equal(await ip.getByRole("group", { name: "Ownership (Traits)" }).count(), 0, "the stage rates its focus only");
  await hydrated(ip);
  await rate(ip, "Rust (Skills)", "3 · Solid");
  await ip.getByLabel("Strengths").fill(irisStrengths);
  await ip.locator(".draft-status").filter({ hasText: /^Draft saved at \d\d:\d\d:\d\d\.$/ }).waitFor();
  await ip.reload();
  await hydrated(ip);
  await ip.getByText(/^Draft last saved /).waitFor();
  assert.ok(await radio(ip, "Rust (Skills)", "3 · Solid").isChecked(), "the draft keeps Iris's rating");
  assert.equal(await ip.getByLabel("Strengths").inputValue(), irisStrengths);
  assert.ok(!(await radio(ip, "PostgreSQL (Skills)", "4 · Outstanding").isChecked()));

  // Ivan: his own kit, nothing of Iris's draft; a draft saved with the button.
  const ivanSession = await openKit(ivan, "ivan", "iris");
  const vp = ivanSession.page;
  await checkKitBeforeSubmitting(vp, "ivan", stages[1]);
  assert.equal(await vp.getByText(irisStrengths).count(), 0);
  await hydrated(vp);
  await rate(vp, "Ownership (Traits)", "3 · Solid");
  await vp.getByLabel("Concerns").fill(ivanConcerns);
  await screenshot(vp, "feedback");
  await vp.getByRole("button", { name: "Save draft" }).click();
  await vp.getByText(/^Draft last saved /).waitFor();
  await vp.reload();
  await hydrated(vp);
  assert.ok(await radio(vp, "Ownership (Traits)", "3 · Solid").isChecked(), "the draft keeps Ivan's rating");
  assert.equal(await vp.getByLabel("Concerns").inputValue(), ivanConcerns);

  // Iris submits first; she now sees colleagues' feedback, of which there is none yet
  // (Ivan's draft stays his).
  await ip.reload();
  await hydrated(ip);
  await rate(ip, "PostgreSQL (Skills)", "4 · Outstanding");
  await ip.getByRole("group", { name: "Overall recommendation" }).getByRole("radio", { name: "Strong yes", exact: true }).check();
  await ip.getByRole("button", { name: "Submit feedback" }).click();
  await ip.getByText("Edit feedback", { exact: true }).waitFor();
  const irisOwn = ip.getByRole("region", { name: "Your feedback" });
  assert.equal(await irisOwn.locator("span.recommendation").textContent(), "Strong yes");
  await irisOwn.locator("p.details", { hasText: irisStrengths }).waitFor();
  await ip.getByText("No other feedback has been submitted yet.").waitFor();
  assert.equal(await ip.getByText(ivanConcerns).count(), 0);

  // The recruiter sees one of two in, and whom to remind.
  await rp.reload();
  await rp.getByText("Feedback submitted: 1 of 2.").waitFor();
  await rp.getByRole("button", { name: `Remind ${ivanName}` }).waitFor();
  assert.equal(await rp.getByRole("button", { name: `Remind ${irisName}` }).count(), 0);

  // Ivan, reloading, still sees nothing of Iris's submitted feedback.
  await vp.reload();
  await hydrated(vp);
  await vp.getByText(/^Your colleagues' feedback on this candidate appears here/).waitFor();
  assert.equal(await vp.getByText(irisStrengths).count(), 0);
  assert.equal(await vp.locator(".feedback-card").count(), 0);
  assert.equal(await vp.getByText(irisName).count(), 0);

  // Iris, reloading, still sees nothing of Ivan's draft.
  await ip.reload();
  await ip.getByText("No other feedback has been submitted yet.").waitFor();
  assert.equal(await ip.getByText(ivanConcerns).count(), 0);

  // Ivan submits; now each sees the other's.
  await rate(vp, "PostgreSQL (Skills)", "2 · Partly");
  await vp.getByRole("group", { name: "Overall recommendation" }).getByRole("radio", { name: "Yes", exact: true }).check();
  await vp.getByRole("button", { name: "Submit feedback" }).click();
  await vp.getByText("Edit feedback", { exact: true }).waitFor();
  const irisCard = vp.locator(".feedback-card").filter({
    has: vp.getByRole("heading", { name: `${irisName} · Technical (${stages[0].name})` }),
  });
  await irisCard.waitFor();
  assert.equal(await irisCard.locator("span.recommendation").textContent(), "Strong yes");
  await irisCard.getByText(irisStrengths).waitFor();
  await ip.reload();
  const ivanCard = ip.locator(".feedback-card").filter({
    has: ip.getByRole("heading", { name: `${ivanName} · Culture (${stages[1].name})` }),
  });
  await ivanCard.waitFor();
  assert.equal(await ivanCard.locator("span.recommendation").textContent(), "Yes");
  await ivanCard.getByText(ivanConcerns).waitFor();
  await irisSession.context.close();
  await ivanSession.context.close();

  // The recruiter is notified of both and follows Ivan's to the debrief.
  await rp.goto("/notifications");
  await hydrated(rp);
  const about = `submitted interview feedback on ${candidate} for ${title}`;
  await rp.getByRole("button", { name: `Open: ${irisName} ${about}` }).waitFor();
  await rp.getByRole("button", { name: `Open: ${ivanName} ${about}` }).click();
  await rp.getByRole("heading", { level: 1, name: `Debrief: ${candidate} · ${title}` }).waitFor();
  await rp.getByText("Feedback submitted: 2 of 2.").waitFor();
  assert.equal(await rp.getByRole("heading", { name: "Missing feedback" }).count(), 0);
  assert.deepEqual(await matrix(rp), {
    Rust: { iris: "3", ivan: "—" },
    PostgreSQL: { iris: "4", ivan: "2" },
    Ownership: { iris: "—", ivan: "3" },
    Recommendation: { iris: "Strong yes", ivan: "Yes" },
  });
  await rp.getByText("PostgreSQL: levels two or more apart.").waitFor();

  // The decision: hire, to the offer stage; the candidate moves on the board.
  await hydrated(rp);
  await rp.getByLabel("Move to").selectOption({ label: "Offer" });
  await rp.getByRole("button", { name: "Hire", exact: true }).click();
  await rp.getByText("Stage: Offer").waitFor();
  await rp.goto(`${requisitionUrl}/pipeline`);
  await rp.getByRole("heading", { level: 1, name: `Pipeline: ${title}` }).waitFor();
  await rp.getByRole("region", { name: /^Offer/ }).getByText(candidate, { exact: true }).waitFor();
  assert.equal(await rp.getByRole("region", { name: /^Applied/ }).getByText(candidate, { exact: true }).count(), 0);
  await recruiter.context.close();
});
