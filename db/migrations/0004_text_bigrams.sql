-- Every two characters of a text, lower-cased: a term's are all among those of any text holding it.
CREATE FUNCTION text_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY(SELECT DISTINCT substr(lower(t), i, 2) FROM generate_series(1, char_length(t) - 1) AS i);--> statement-breakpoint
-- The list's text filter looks in summary, address and polluter.
CREATE FUNCTION complaint_text_bigrams(summary text, address text, polluter text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN text_bigrams(summary) || text_bigrams(address) || text_bigrams(polluter);--> statement-breakpoint
CREATE INDEX "complaints_text_idx" ON "complaints" USING gin (complaint_text_bigrams("summary", "address", "polluter"));
