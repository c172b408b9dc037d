-- The calendar cannot be put back into the pré-inscription's tables without losing the
-- activities other services added: restore the backup taken before the upgrade instead.
SELECT 1;
