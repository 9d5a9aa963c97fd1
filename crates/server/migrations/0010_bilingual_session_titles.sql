-- A calibration session's title is kept in both languages, as JSON like a scorecard's name.
-- A title from before goes to the language its script says (Chinese to zh, the rest to en);
-- readers of the other language see it until someone adds theirs.
UPDATE calibration_sessions SET title = CASE
    WHEN title GLOB '*[一-鿿]*' THEN json_object('en', '', 'zh', title)
    ELSE json_object('en', title, 'zh', '')
END;
