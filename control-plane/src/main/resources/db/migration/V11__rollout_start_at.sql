-- scheduled rollout start (maintenance window): the rollout waits in CREATED until start_at
ALTER TABLE rollout ADD COLUMN start_at TIMESTAMPTZ;
