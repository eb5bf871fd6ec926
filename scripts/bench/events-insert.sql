-- The ceiling for proctoring's intake: the batch's own INSERT of 20 events (one page
-- load per pgbench client), straight to PostgreSQL.
\set round random(1, 1000000000)
INSERT INTO proctoring_events (org_id, session_id, instance_id, client_event_id, kind, severity, client_at, occurred_at, details)
SELECT s.org_id, s.id, ('00000000-0000-4000-a000-' || lpad(to_hex(:client_id), 12, '0'))::uuid,
       :round::int8 * 20 + g, 'copy', 'low', now(), now(), '{"length": 7}'::jsonb
FROM (SELECT id, org_id FROM test_sessions ORDER BY id LIMIT 1 OFFSET (:client_id % 100)) s, generate_series(0, 19) g
ON CONFLICT (session_id, instance_id, client_event_id) WHERE client_event_id IS NOT NULL DO NOTHING;
