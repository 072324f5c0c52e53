-- Whether an account signed in from an address lately (its owner's
-- address is not held back by guesses from elsewhere): one index lookup
-- even while the account's failures pile up.
CREATE INDEX sign_in_attempt_pair ON sign_in_attempt (email, address, succeeded, at);
