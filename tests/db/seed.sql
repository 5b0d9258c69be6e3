-- Seed data for the runbook query tests: four tenants with distinct, recognisable rows.
-- Times are relative to now() so "last hour", "last 24 hours" and "last 7 days" queries find
-- rows whenever the tests run. Row ids are md5-derived uuids, ticket ids come from a
-- per-tenant range (MVP 48xxx, northwind 73xxx, test tenant 31xx), so a leak of another
-- tenant's rows into a query's output is recognisable.

INSERT INTO tenants (id, slug, name, status, servicedesk_url, created_at) VALUES
  ('7c9e6679-7425-40de-944b-e07fc1f90ae7', 'mvp-client', 'MVP Client', 'active',
   'https://servicedesk.mvp-client.example', now() - interval '120 days'),
  ('3f2504e0-4f89-41d3-9a0c-0305e82c3301', 'northwind', 'Northwind Logistics', 'active',
   'https://helpdesk.northwind.example', now() - interval '40 days'),
  ('c56a4180-65aa-42ec-a945-5fd21dec0538', 'test-staging-sandbox', 'Test Staging Sandbox', 'onboarding',
   'https://sdp-test.staging.example', now() - interval '10 days'),
  ('16fd2706-8baf-433b-82eb-8c7fada847da', 'contoso-retail', 'Contoso Retail', 'suspended',
   'https://sdp.contoso.example', now() - interval '200 days');

INSERT INTO tenant_configs (tenant_id, enhancement_enabled, webhook_secret_version, webhook_secret_previous_valid_until,
                            sdp_credential_ref, llm_model, max_concurrent_jobs, updated_at) VALUES
  ('7c9e6679-7425-40de-944b-e07fc1f90ae7', true, 2, now() - interval '30 days', 'sdp-cred-mvp-client-v1', 'gpt-4o', 10, now() - interval '30 days'),
  ('3f2504e0-4f89-41d3-9a0c-0305e82c3301', true, 1, NULL, 'sdp-cred-northwind-v1', 'gpt-4o-mini', 8, now() - interval '40 days'),
  ('c56a4180-65aa-42ec-a945-5fd21dec0538', true, 1, NULL, 'sdp-cred-test-staging-sandbox-v1', 'gpt-4o', 4, now() - interval '10 days'),
  ('16fd2706-8baf-433b-82eb-8c7fada847da', false, 1, NULL, 'sdp-cred-contoso-retail-v1', 'gpt-4o', 10, now() - interval '90 days');

CREATE FUNCTION pg_temp.seed_tenant(tenant uuid, first_ticket integer, events integer, span interval, model text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    n integer;
    received timestamptz;
    event_id uuid;
    job_id uuid;
    enhancement_id uuid;
    job_status text;
    failure text;
    failures text[] := ARRAY['LLMTimeout', 'SDPPostError', 'ContextTooLarge', 'SDPFetchError',
                             'LLMRateLimited', 'WorkerLostError', 'TicketNotFound'];
    started timestamptz;
    completed timestamptz;
    ticket text;
BEGIN
    FOR n IN 1..events LOOP
        -- Quadratic spacing: many events in the last minutes and hours, fewer days back.
        received := now() - span * power(n::numeric / events, 2) - interval '20 seconds';
        event_id := md5(tenant::text || ':event:' || n)::uuid;
        ticket := (first_ticket + n)::text;
        INSERT INTO webhook_events (id, tenant_id, ticket_id, event_type, signature_valid, status, rejection_reason, trace_id, received_at)
        VALUES (event_id, tenant, ticket,
                CASE WHEN n % 4 = 0 THEN 'request_updated' ELSE 'request_created' END,
                NOT (n % 23 = 0 OR n % 97 = 0),
                CASE WHEN n % 23 = 0 OR n % 97 = 0 THEN 'rejected' WHEN n % 31 = 0 THEN 'duplicate' ELSE 'accepted' END,
                CASE WHEN n % 23 = 0 THEN 'invalid_signature' WHEN n % 97 = 0 THEN 'missing_signature' END,
                md5(tenant::text || ':trace:' || n),
                received);
        CONTINUE WHEN n % 23 = 0 OR n % 97 = 0 OR n % 31 = 0;

        job_id := md5(tenant::text || ':job:' || n)::uuid;
        failure := NULL;
        job_status := CASE WHEN n <= 2 THEN 'queued' WHEN n <= 4 THEN 'running' WHEN n <= 6 THEN 'retrying'
                           WHEN n % 13 = 0 THEN 'failed' ELSE 'succeeded' END;
        IF job_status IN ('failed', 'retrying') THEN
            failure := failures[1 + (n / 13) % array_length(failures, 1)];
        END IF;
        started := CASE WHEN job_status = 'queued' THEN NULL ELSE received + make_interval(secs => 1 + n % 7) END;
        completed := CASE WHEN job_status IN ('succeeded', 'failed') THEN started + make_interval(secs => 18 + (n * 7) % 50) END;
        INSERT INTO enhancement_jobs (id, tenant_id, webhook_event_id, ticket_id, celery_task_id, status, attempts,
                                      error_type, error_message, trace_id, queued_at, started_at, completed_at)
        VALUES (job_id, tenant, event_id, ticket, md5(tenant::text || ':task:' || n)::uuid::text, job_status,
                CASE job_status WHEN 'queued' THEN 0 WHEN 'failed' THEN 3 WHEN 'retrying' THEN 2 ELSE 1 END,
                failure,
                CASE failure
                    WHEN 'LLMTimeout' THEN 'LLM call exceeded 45 s'
                    WHEN 'SDPPostError' THEN 'POST /api/v3/requests/' || ticket || '/notes returned 503'
                    WHEN 'ContextTooLarge' THEN 'prompt of 131072 tokens exceeds the model context'
                    WHEN 'SDPFetchError' THEN 'GET /api/v3/requests/' || ticket || ' timed out'
                    WHEN 'LLMRateLimited' THEN 'provider answered 429 Too Many Requests'
                    WHEN 'WorkerLostError' THEN 'Worker exited prematurely: signal 9 (SIGKILL)'
                    WHEN 'TicketNotFound' THEN 'request ' || ticket || ' not found in ServiceDesk Plus'
                END,
                md5(tenant::text || ':trace:' || n),
                received + interval '200 milliseconds', started, completed);

        IF job_status = 'succeeded' OR failure = 'SDPPostError' THEN
            enhancement_id := md5(tenant::text || ':enhancement:' || n)::uuid;
            INSERT INTO enhancements (id, tenant_id, job_id, ticket_id, sdp_note_id, content, model, prompt_tokens,
                                      completion_tokens, sources_used, created_at, posted_at)
            VALUES (enhancement_id, tenant, job_id, ticket,
                    CASE WHEN job_status = 'succeeded' THEN (900000 + first_ticket + n)::text END,
                    'Likely cause and next steps for request ' || ticket || ': check the similar resolved requests cited below.',
                    model, 1800 + (n * 37) % 2400, 250 + (n * 13) % 400, (n % 6),
                    coalesce(completed, started + interval '40 seconds') - interval '2 seconds',
                    CASE WHEN job_status = 'succeeded' THEN completed END);
            IF job_status = 'succeeded' AND n % 3 = 0 THEN
                INSERT INTO enhancement_feedback (id, tenant_id, enhancement_id, ticket_id, rating, comment,
                                                  technician_id, research_minutes, created_at)
                VALUES (md5(tenant::text || ':feedback:' || n)::uuid, tenant, enhancement_id, ticket,
                        1 + (n * 7) % 5,
                        CASE WHEN (n * 7) % 5 < 2 THEN 'Suggestion did not match request ' || ticket END,
                        'tech-' || (first_ticket / 1000) || '-' || (n % 20),
                        5 + n % 25,
                        completed + interval '30 minutes');
            END IF;
        END IF;
    END LOOP;
END $$;

SELECT pg_temp.seed_tenant('7c9e6679-7425-40de-944b-e07fc1f90ae7', 48000, 900, interval '35 days', 'gpt-4o');
SELECT pg_temp.seed_tenant('3f2504e0-4f89-41d3-9a0c-0305e82c3301', 73000, 400, interval '35 days', 'gpt-4o-mini');
SELECT pg_temp.seed_tenant('c56a4180-65aa-42ec-a945-5fd21dec0538', 3100, 60, interval '9 days', 'gpt-4o');
SELECT pg_temp.seed_tenant('16fd2706-8baf-433b-82eb-8c7fada847da', 61000, 30, interval '120 days', 'gpt-4o');

ANALYZE;
