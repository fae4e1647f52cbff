-- Whose an action is. A reader's own pages post into their account
-- (account_id, never their name: a name taken later inherits nothing); an
-- API token posts for outside ids (account_id NULL), which no reader reads.
-- Deleted with the account.
ALTER TABLE actions ADD COLUMN account_id INTEGER REFERENCES users (id) ON DELETE CASCADE;

-- Rows from before could have come from either. One whose user_key is an
-- account's username, exactly as written (readers could post only under
-- their exact name; usernames otherwise compare without case), is that
-- reader's; anything else stays outside, readable by admins and tokens only.
UPDATE actions SET account_id = u.id
FROM users AS u WHERE actions.user_key = u.username COLLATE BINARY;

-- A reader's log, in time order; outside actions are found by user_key.
CREATE INDEX actions_by_account ON actions (account_id, at_ms) WHERE account_id IS NOT NULL;
