-- Reference data model of the AI Agents Platform as the support portal describes it.
-- Every tenant-scoped table (all but the tenants directory) has row-level security enabled and forced, with one policy on
-- tenant_id = current_setting('app.current_tenant_id', true)::uuid. Without the setting
-- the expression is NULL and a query returns no rows.

CREATE TABLE tenants (
    id               uuid PRIMARY KEY,
    slug             text NOT NULL UNIQUE,
    name             text NOT NULL,
    status           text NOT NULL CHECK (status IN ('onboarding', 'active', 'suspended')),
    servicedesk_url  text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenant_configs (
    tenant_id               uuid PRIMARY KEY REFERENCES tenants (id),
    enhancement_enabled     boolean NOT NULL DEFAULT true,
    webhook_secret_version  integer NOT NULL DEFAULT 1,
    webhook_secret_previous_valid_until timestamptz,
    sdp_credential_ref      text NOT NULL,          -- name of the Kubernetes Secret, never the key
    llm_model               text NOT NULL,
    max_concurrent_jobs     integer NOT NULL DEFAULT 10,
    updated_at              timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_events (
    id               uuid PRIMARY KEY,
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    ticket_id        text NOT NULL,                 -- ServiceDesk Plus request ID
    event_type       text NOT NULL CHECK (event_type IN ('request_created', 'request_updated')),
    signature_valid  boolean NOT NULL,
    status           text NOT NULL CHECK (status IN ('accepted', 'rejected', 'duplicate')),
    rejection_reason text,
    trace_id         text,
    received_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE enhancement_jobs (
    id                uuid PRIMARY KEY,
    tenant_id         uuid NOT NULL REFERENCES tenants (id),
    webhook_event_id  uuid NOT NULL REFERENCES webhook_events (id),
    ticket_id         text NOT NULL,
    celery_task_id    text,
    status            text NOT NULL CHECK (status IN ('queued', 'running', 'retrying', 'succeeded', 'failed')),
    attempts          integer NOT NULL DEFAULT 0,
    error_type        text,                         -- e.g. LLMTimeout, SDPPostError, ContextTooLarge
    error_message     text,
    trace_id          text,
    queued_at         timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    completed_at      timestamptz
);

CREATE TABLE enhancements (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid NOT NULL REFERENCES tenants (id),
    job_id             uuid NOT NULL REFERENCES enhancement_jobs (id),
    ticket_id          text NOT NULL,
    sdp_note_id        text,                        -- set once the note is posted to ServiceDesk Plus
    content            text NOT NULL,
    model              text NOT NULL,
    prompt_tokens      integer,
    completion_tokens  integer,
    sources_used       integer NOT NULL DEFAULT 0,  -- similar tickets and KB articles cited
    created_at         timestamptz NOT NULL DEFAULT now(),
    posted_at          timestamptz
);

CREATE TABLE enhancement_feedback (
    id                  uuid PRIMARY KEY,
    tenant_id           uuid NOT NULL REFERENCES tenants (id),
    enhancement_id      uuid NOT NULL REFERENCES enhancements (id),
    ticket_id           text NOT NULL,
    rating              smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment             text,
    technician_id       text NOT NULL,
    research_minutes    integer,                    -- technician's own estimate for this ticket
    created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ON webhook_events (tenant_id, ticket_id);
CREATE INDEX ON enhancement_jobs (tenant_id, status, queued_at);
CREATE INDEX ON enhancement_jobs (tenant_id, ticket_id);
CREATE INDEX ON enhancements (tenant_id, ticket_id);
CREATE INDEX ON enhancement_feedback (tenant_id, created_at);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['tenant_configs', 'webhook_events', 'enhancement_jobs',
                             'enhancements', 'enhancement_feedback']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
                          USING (tenant_id = current_setting('app.current_tenant_id', true)::uuid)$p$, t);
    END LOOP;
END $$;

-- tenants is the directory support uses to turn a client name or slug into a tenant ID:
-- it holds no ticket data and is readable without a tenant context.

-- The role support engineers use: reads only, subject to RLS.
CREATE ROLE support_readonly LOGIN NOSUPERUSER NOBYPASSRLS;
GRANT USAGE ON SCHEMA public TO support_readonly;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO support_readonly;

-- The application's role: reads and writes, always with the tenant set, subject to RLS.
CREATE ROLE ai_agents_app LOGIN NOSUPERUSER NOBYPASSRLS;
GRANT USAGE ON SCHEMA public TO ai_agents_app;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO ai_agents_app;

-- Migrations, tenant configuration changes and audited cross-tenant queries only.
-- BYPASSRLS: every use is an administrative action with a stated reason.
CREATE ROLE ai_agents_admin LOGIN NOSUPERUSER BYPASSRLS;
GRANT USAGE ON SCHEMA public TO ai_agents_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ai_agents_admin;

-- Statement statistics for performance investigations (needs shared_preload_libraries =
-- 'pg_stat_statements'); only the admin role reads other sessions' query texts.
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
GRANT pg_read_all_stats TO ai_agents_admin;
