-- Unsubscribe events written before they carried a campaign (workers/sending/unsubscribe.ts) get
-- the campaign of the send they came through, so campaign and per-variant counts include them.
UPDATE email_events e SET campaign_id = s.campaign_id
FROM sends s
WHERE e.type = 'unsubscribed' AND e.campaign_id IS NULL AND e.send_id = s.id AND s.tenant_id = e.tenant_id;
