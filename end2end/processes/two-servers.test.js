// Several app servers on one database (issue 15, item 5), run by scripts/two-servers.sh:
// process a and process b are addressed directly (their own ports) to act on one and look
// on the other, and through HAProxy (round robin) where the load balancer is the point.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const A = process.env.ARE_TWO_A;
const B = process.env.ARE_TWO_B;
const LB = process.env.ARE_TWO_LB;
const DB = process.env.ARE_TWO_DB;
const PSQL = process.env.ARE_TWO_PSQL ?? "psql";
const MAIL_DIR = process.env.ARE_TWO_MAIL;
const PID_A = Number(process.env.ARE_TWO_PID_A);

const ACCOUNTS = {
  admin: ["admin@acme.example", "acme-admin-password"],
  recruiter: ["recruiter@acme.example", "acme-recruiter-password"],
  manager: ["manager@acme.example", "acme-manager-password"],
  interviewer: ["interviewer@acme.example", "acme-interviewer-password"],
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One value, or rows of `|`-separated fields, from the test's database. */
function sql(query) {
  return execFileSync(PSQL, [DB, "-AtX", "-v", "ON_ERROR_STOP=1", "-c", query], { encoding: "utf8" }).trim();
}
const rows = (query) => sql(query).split("\n").filter(Boolean).map((line) => line.split("|"));

/** A request as a browser's fetch would send it from the app's own pages; the session
 *  cookie, when given, is sent as it is (the caller decides which process sees it). */
async function send(base, path, { form, json, cookie, method } = {}) {
  const headers = { Accept: "application/json", "Sec-Fetch-Site": "same-origin" };
  let body;
  if (form) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(form).toString();
  } else if (json) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  }
  if (cookie) headers.Cookie = `are_session=${cookie}`;
  if (body === undefined) headers.Accept = "text/html";
  const response = await fetch(base + path, {
    method: method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
    redirect: "manual",
  });
  const set = response.headers.getSetCookie().find((c) => c.startsWith("are_session="));
  return {
    status: response.status,
    servedBy: response.headers.get("x-served-by"),
    text: await response.text(),
    cookie: set ? set.split(";")[0].slice("are_session=".length) : undefined,
  };
}

/** Calls a server function (`/api/<name>`) with form fields, as the app's forms do. */
const call = (base, name, form, cookie) => send(base, `/api/${name}`, { form: form ?? {}, cookie });

async function signIn(base, who) {
  const [email, password] = ACCOUNTS[who];
  const answer = await call(base, "auth/sign_in", { email, password });
  assert.equal(answer.status, 200, `sign-in of ${email} on ${base}: ${answer.text}`);
  assert.ok(answer.cookie, "a session cookie");
  return answer.cookie;
}

/** Whether the session works on `base`: the user's own list of sessions needs one. */
async function signedIn(base, cookie) {
  const answer = await call(base, "auth/sessions", {}, cookie);
  assert.ok([200, 401].includes(answer.status), `auth/sessions on ${base}: ${answer.status} ${answer.text}`);
  return answer.status === 200;
}

// Test links from `are generate-invites`: the first line names the questions.
const [questionLine, ...tokens] = readFileSync(process.env.ARE_TWO_INVITES, "utf8").split("\n").filter(Boolean);
const questions = [...questionLine.matchAll(/([0-9a-f-]{36}):(\w+)/g)].map((m) => ({ id: m[1], kind: m[2] }));
const textQuestions = questions.filter((q) => q.kind === "short_text" || q.kind === "long_text");
const sweepTokens = tokens.slice(0, 10);
const killTokens = tokens.slice(10, 30);

async function start(token) {
  const started = await call(LB, "test/start", { token, consent: "yes" });
  assert.equal(started.status, 200, `start: ${started.text}`);
}

const save = (base, token, question, text, seq) =>
  send(base, "/api/test/save", {
    json: { token, save: { question_id: question, response: { text }, seq, flagged: false, time_spent_ms: seq } },
  });

// How the app keeps a link: the SHA-256 of its secret.
const digestOf = (token) => `sha256(convert_to('${token}', 'UTF8'))`;

before(async () => {
  assert.ok(A && B && LB && DB && MAIL_DIR && PID_A, "run by scripts/two-servers.sh");
  assert.ok(textQuestions.length >= 2, "the generated assessment has text questions");
  // The demo organization is on the free plan (10 seats, 4 taken); the job check invites 20.
  sql(`UPDATE organizations SET seats = 40 WHERE slug = 'acme'`);
  await Promise.all([...sweepTokens, ...killTokens].map(start));
  // The deadline sweep's sessions: each has an answer, and its time ran out two minutes
  // ago (past the grace), so the next sweep of either process closes it.
  for (const token of sweepTokens) {
    const saved = await save(LB, token, textQuestions[0].id, "before the deadline", 1);
    assert.equal(saved.status, 200, saved.text);
  }
  sql(`UPDATE test_sessions SET started_at = now() - interval '62 minutes',
         deadline_at = now() - interval '2 minutes'
       WHERE token_id IN (SELECT id FROM assessment_tokens
                          WHERE token_hash IN (${sweepTokens.map(digestOf).join(",")}))`);
});

test("HAProxy sends requests to both processes, and each is ready", async () => {
  const served = [];
  for (let i = 0; i < 6; i++) {
    const answer = await send(LB, "/readyz");
    assert.equal(answer.status, 200);
    served.push(answer.servedBy);
  }
  // Round robin alternates while both pass their health checks; a check that a busy
  // machine answered late may take one out for a moment, so only both are required.
  assert.deepEqual(new Set(served), new Set(["a", "b"]), `served by ${served}`);
});

test("a sign-in on one process works on the other", async () => {
  const cookie = await signIn(A, "recruiter");
  assert.ok(await signedIn(B, cookie), "process b knows the session made by a");
  const page = await send(B, "/candidates", { cookie });
  assert.equal(page.status, 200, "a staff page on b");
  assert.match(page.text, /<h1[^>]*>Candidates<\/h1>/);
  const other = await signIn(B, "recruiter");
  assert.ok(await signedIn(A, other), "and the other way round");
});

test("a sign-out on one process is honoured by the other at once, though it cached the session", async () => {
  const cookie = await signIn(A, "recruiter");
  // b reads the session now, so its record is in b's cache (kept 5 s) when a ends it.
  assert.ok(await signedIn(B, cookie));
  const out = await call(A, "auth/sign_out", {}, cookie);
  assert.equal(out.status, 200, out.text);
  assert.equal(await signedIn(B, cookie), false, "b refuses the signed-out session at once");
  assert.equal(await signedIn(A, cookie), false);
  const page = await send(B, "/candidates", { cookie });
  assert.notEqual(page.status, 200, "nor does b show a staff page with it");
});

test("a deactivation on one process is honoured by the other at once", async () => {
  const admin = await signIn(A, "admin");
  const user = await signIn(B, "interviewer");
  assert.ok(await signedIn(B, user));
  const id = sql(`SELECT id FROM users WHERE email = '${ACCOUNTS.interviewer[0]}'`);
  const off = await call(A, "users/set_active", { user_id: id, active: "false" }, admin);
  assert.equal(off.status, 200, off.text);
  assert.equal(await signedIn(B, user), false, "b refuses the deactivated user's next request");
  const again = await call(B, "auth/sign_in", { email: ACCOUNTS.interviewer[0], password: ACCOUNTS.interviewer[1] });
  assert.notEqual(again.status, 200, "nor may they sign in on b");
  const on = await call(B, "users/set_active", { user_id: id, active: "true" }, admin);
  assert.equal(on.status, 200, on.text);
  assert.ok(await signedIn(A, await signIn(A, "interviewer")), "reactivated through b, in through a");
});

/** The six digits an authenticator app shows for `secret` at `unix` seconds (RFC 6238:
 *  HMAC-SHA1, 30-second steps). */
function totp(secret, unix) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unix / 30)));
  const mac = createHmac("sha1", secret).update(counter).digest();
  const at = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

test("a sign-in's five tries at the second step are five in all, whichever process takes them", async () => {
  const secret = "two-servers-secret!!";
  sql(`UPDATE users SET totp_secret = convert_to('${secret}', 'UTF8') WHERE email = '${ACCOUNTS.manager[0]}'`);
  const [email, password] = ACCOUNTS.manager;
  const first = await call(A, "auth/sign_in", { email, password });
  assert.equal(first.status, 200, first.text);
  const cookie = first.cookie;
  assert.ok(cookie, "the browser holds the wait for the second step");
  const now = Date.now() / 1000;
  const valid = [now - 30, now, now + 30].map((t) => totp(Buffer.from(secret), t));
  const wrong = ["000000", "111111", "222222"].find((code) => !valid.includes(code));
  // Five wrong codes, sent to b and a in turn (each process has the record in its cache).
  for (const base of [B, A, B, A, B]) {
    const answer = await call(base, "auth/finish_sign_in", { code: wrong }, cookie);
    assert.equal(answer.status, 422, `a wrong code on ${base}: ${answer.text}`);
  }
  const right = await call(A, "auth/finish_sign_in", { code: totp(Buffer.from(secret), Date.now() / 1000) }, cookie);
  assert.notEqual(right.status, 200, "after five wrong codes even the right one is refused");
  assert.match(right.text, /too many wrong codes/);
});

/** The stage (its id) whose column on the board page holds the application. */
function columnOf(html, applicationId) {
  const columns = html.split("<section ").slice(1).filter((s) => /^[^>]*class="column/.test(s));
  const found = columns.filter((s) => s.includes(`value="${applicationId}"`));
  assert.equal(found.length, 1, "the card is in exactly one column");
  return found[0].match(/aria-labelledby="stage-([0-9a-f-]{36})"/)[1];
}

test("a board change made through one process shows on the other's next view", async () => {
  const recruiter = await signIn(LB, "recruiter");
  const email = `two-servers-${Date.now()}@example.com`;
  const created = await call(
    A,
    "candidates/create",
    {
      "form[full_name]": "Tess Twoservers",
      "form[email]": email,
      "form[phone]": "",
      "form[location]": "",
      "form[headline]": "",
      "form[source]": "sourced",
      "form[tags]": "",
    },
    recruiter,
  );
  assert.equal(created.status, 200, created.text);
  const candidate = sql(`SELECT id FROM candidates WHERE email = '${email}'`);
  const requisition = sql(`SELECT id FROM job_requisitions WHERE title = 'Demo: operations analyst'`);
  const added = await call(B, "pipeline/add", { candidate_id: candidate, requisition_id: requisition }, recruiter);
  assert.equal(added.status, 200, added.text);
  const application = sql(`SELECT id FROM applications WHERE candidate_id = '${candidate}'`);
  const stages = rows(
    `SELECT s.id FROM pipeline_stages s JOIN job_requisitions r ON r.org_id = s.org_id
     WHERE r.id = '${requisition}' AND s.kind = 'active' AND s.is_active ORDER BY s.position`,
  ).map(([id]) => id);
  assert.ok(stages.length >= 3, "the demo organization has several active stages");
  const board = `/requisitions/${requisition}/pipeline`;
  const view = async (base) => {
    const page = await send(base, board, { cookie: recruiter });
    assert.equal(page.status, 200, `board on ${base}`);
    return columnOf(page.text, application);
  };
  // Each process renders the board now and keeps it in its cache.
  assert.equal(await view(A), stages[0]);
  assert.equal(await view(B), stages[0]);
  const move = (base, stage) =>
    call(base, "pipeline/move", { requisition_id: requisition, "application_ids[0]": application, to_stage: stage }, recruiter);
  let moved = await move(A, stages[1]);
  assert.equal(moved.status, 200, moved.text);
  assert.equal(await view(B), stages[1], "b's next view shows the move made on a");
  moved = await move(B, stages[2]);
  assert.equal(moved.status, 200, moved.text);
  assert.equal(await view(A), stages[2], "a's next view shows the move made on b");
});

test("a job is run once although both processes have workers", async () => {
  const admin = await signIn(LB, "admin");
  const addresses = Array.from({ length: 20 }, (_, i) => `two-servers-invite-${i}@example.com`);
  // All at once, through the load balancer: the jobs are queued by both processes within
  // a few milliseconds, and the four workers race for them.
  const answers = await Promise.all(
    addresses.map((email, i) =>
      call(LB, "users/invite", { email, full_name: `Invitee ${i}`, role: "interviewer" }, admin),
    ),
  );
  for (const answer of answers) assert.equal(answer.status, 200, answer.text);
  assert.deepEqual(new Set(answers.map((a) => a.servedBy)), new Set(["a", "b"]), "both took invitations");
  const list = addresses.map((a) => `'${a}'`).join(",");
  let pending;
  for (let i = 0; i < 100; i++) {
    pending = Number(sql(`SELECT count(*) FROM emails WHERE to_address IN (${list}) AND status <> 'sent'`));
    if (pending === 0) break;
    await sleep(200);
  }
  assert.equal(pending, 0, "every invitation was sent within 20 s");
  const jobs = rows(
    `SELECT j.id, j.status, j.attempts,
            (SELECT count(*) FROM two_servers_log l WHERE l.what = 'job claimed' AND l.id = j.id::text),
            (SELECT count(*) FROM two_servers_log l WHERE l.what = 'email sent' AND l.id = e.id::text),
            (SELECT min(l.process) FROM two_servers_log l WHERE l.what = 'job claimed' AND l.id = j.id::text)
     FROM emails e JOIN jobs j ON j.kind = 'email.send' AND j.payload->>'email_id' = e.id::text
     WHERE e.to_address IN (${list})`,
  );
  assert.equal(jobs.length, addresses.length, "one job per invitation");
  for (const [id, status, attempts, claims, sends] of jobs) {
    assert.deepEqual([status, attempts, claims, sends], ["done", "1", "1", "1"], `job ${id}: claimed and sent once`);
  }
  const files = readdirSync(MAIL_DIR).map((name) => readFileSync(join(MAIL_DIR, name), "utf8"));
  for (const address of addresses) {
    const mine = files.filter((text) => new RegExp(`^To: .*${address}`, "m").test(text));
    assert.equal(mine.length, 1, `one .eml file for ${address}`);
  }
  const byProcess = {};
  for (const job of jobs) byProcess[job[5]] = (byProcess[job[5]] ?? 0) + 1;
  console.log(`  invitation emails sent by: ${JSON.stringify(byProcess)}`);
});

test("the deadline sweep closes a session once, though both processes sweep", async () => {
  const hashes = sweepTokens.map(digestOf).join(",");
  const sessions = `SELECT ts.id FROM test_sessions ts JOIN assessment_tokens t ON t.id = ts.token_id
                    WHERE t.token_hash IN (${hashes})`;
  // Each process sweeps every ten seconds; wait until both have swept since the deadline.
  let open;
  for (let i = 0; i < 120; i++) {
    open = Number(sql(`SELECT count(*) FROM test_sessions WHERE id IN (${sessions}) AND status = 'in_progress'`));
    if (open === 0) break;
    await sleep(200);
  }
  assert.equal(open, 0, "every session past its deadline was closed within 24 s");
  await sleep(10_500); // one more sweep of each process, which must find nothing to close
  const closed = rows(
    `SELECT ts.id, ts.status, ts.score IS NOT NULL, ts.finished_at = ts.deadline_at,
            (SELECT count(*) FROM two_servers_log l WHERE l.what = 'session closed' AND l.id = ts.id::text)
     FROM test_sessions ts WHERE ts.id IN (${sessions})`,
  );
  assert.equal(closed.length, sweepTokens.length);
  for (const [id, status, scored, atDeadline, closings] of closed) {
    assert.deepEqual([status, scored, atDeadline, closings], ["timed_out", "t", "t", "1"], `session ${id}`);
  }
  const sweepers = sql(`SELECT string_agg(DISTINCT process, ', ') FROM two_servers_log WHERE what = 'session closed'`);
  console.log(`  sessions closed by: ${sweepers}`);
  const late = await save(LB, sweepTokens[0], textQuestions[0].id, "after the deadline", 2);
  assert.equal(late.status, 409, "a closed session takes no save");
});

test("killing a process with SIGKILL during autosaves loses no acknowledged save", async () => {
  // Every candidate saves as the test page does: one save at a time, each with the next
  // sequence number, and a failed one sent again until the server acknowledges it.
  const acknowledged = new Map(); // `${token} ${question}` -> { seq, text }
  const ackedBefore = killTokens.map(() => 0);
  const ackedAfter = killTokens.map(() => 0); // sent over a second after the kill
  const servedAfter = { a: 0, b: 0 };
  const failures = [];
  let killedAt = null;
  let stop = false;
  const candidate = async (token, n) => {
    for (let seq = 1; !stop; seq++) {
      const question = textQuestions[seq % 2].id;
      const text = `candidate ${n}, save ${seq}`;
      for (let attempt = 1; ; attempt++) {
        const sentAt = Date.now();
        let answer;
        try {
          answer = await save(LB, token, question, text, seq);
        } catch (error) {
          answer = { status: 0, text: String(error) };
        }
        if (answer.status === 200) {
          assert.equal(JSON.parse(answer.text).seq, seq, "the save is the newest of its answer");
          acknowledged.set(`${token} ${question}`, { seq, text });
          if (killedAt === null) ackedBefore[n]++;
          // By a second after the kill HAProxy's check has found a gone.
          if (killedAt !== null && sentAt > killedAt + 1000) {
            ackedAfter[n]++;
            servedAfter[answer.servedBy]++;
          }
          break;
        }
        failures.push({ status: answer.status, text: answer.text.slice(0, 80), afterKill: killedAt && sentAt - killedAt });
        assert.ok(attempt < 20, `a save was never acknowledged: ${answer.status} ${answer.text}`);
        await sleep(100);
      }
    }
  };
  const until = async (done, what) => {
    for (const end = Date.now() + 30_000; !done(); await sleep(50)) assert.ok(Date.now() < end, what);
  };
  const running = killTokens.map(candidate);
  await until(() => ackedBefore.every((n) => n >= 5), "every candidate saved five times before the kill");
  process.kill(PID_A, "SIGKILL");
  killedAt = Date.now();
  await until(() => ackedAfter.every((n) => n >= 5), "and five times more after it");
  stop = true;
  await Promise.all(running);
  await assert.rejects(fetch(`${A}/readyz`), "process a is gone");
  assert.equal(servedAfter.a, 0, "nothing sent after the kill was answered by a");
  assert.ok(servedAfter.b >= 5 * killTokens.length, "b took the rest");
  // A failed send (none so far: HAProxy sends a request a could not answer to b) is sent
  // again like the test page does, and every save was acknowledged in the end (above).
  const kept = new Map(
    rows(
      `SELECT tok, a.question_id, a.seq, a.response->>'text'
       FROM unnest(ARRAY[${killTokens.map((t) => `'${t}'`).join(",")}]) tok
       JOIN assessment_tokens t ON t.token_hash = sha256(convert_to(tok, 'UTF8'))
       JOIN test_sessions ts ON ts.token_id = t.id
       JOIN answers a ON a.session_id = ts.id`,
    ).map(([token, question, seq, text]) => [`${token} ${question}`, { seq: Number(seq), text }]),
  );
  assert.equal(acknowledged.size, killTokens.length * 2, "every candidate's two answers were saved");
  for (const [key, ack] of acknowledged) {
    assert.deepEqual(kept.get(key), ack, `the last acknowledged save of answer ${key.slice(-36)}`);
  }
  const total = (counts) => counts.reduce((sum, n) => sum + n, 0);
  console.log(
    `  saves acknowledged: ${total(ackedBefore)} before the kill, ${total(ackedAfter)} from a second after it` +
      ` (all by b); ${failures.length} sends failed and were sent again`,
  );
});
