-- The careers page's query of posted jobs (careers::data::posted), for pgbench; the
-- benchmark puts the organization's id in place of ORG_ID.
SELECT id, title, department, location, employment_type, posted_at
FROM job_requisitions
WHERE org_id = 'ORG_ID' AND posted AND status = 'open' AND is_active
ORDER BY posted_at DESC NULLS LAST, title, id;
