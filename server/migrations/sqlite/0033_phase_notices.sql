-- Phase notices: each team is told when its call's dates move it on (요건 검토,
-- 평가, 협약). `told_phase` is the last phase told (or the one the call was
-- published in); the job that tells claims the change by updating it, so two
-- instances never tell twice. Calls that exist start from their phase today.
ALTER TABLE calls ADD COLUMN told_phase TEXT;
UPDATE calls SET told_phase = CASE
    WHEN date('now', '+9 hours') >= agreement_on THEN 'agreement'
    WHEN date('now', '+9 hours') >= announce_on THEN 'announced'
    WHEN date('now', '+9 hours') >= evaluation_on THEN 'evaluation'
    WHEN date('now', '+9 hours') > closes_on THEN 'review'
    WHEN date('now', '+9 hours') >= opens_on THEN 'open'
    ELSE 'upcoming' END;
