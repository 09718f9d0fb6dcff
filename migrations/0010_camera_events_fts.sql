-- Full-text index of camera events (ADR 015), hand-written: drizzle-kit cannot describe FTS5.
-- rowid = camera_events.seq (time order), so a search walks newest-first by rowid and stops at a
-- page; `device` holds 'dev' + the device id without dashes, so a search is narrowed to the
-- searcher's cameras inside the index. The triggers keep it in step with camera_events.
CREATE VIRTUAL TABLE `camera_events_fts` USING fts5(description, labels, device, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `camera_events_fts_insert` AFTER INSERT ON `camera_events` BEGIN
  INSERT INTO camera_events_fts (rowid, description, labels, device)
  VALUES (new.seq, coalesce(new.description, ''), new.labels, 'dev' || lower(replace(new.device_id, '-', '')));
END;
--> statement-breakpoint
CREATE TRIGGER `camera_events_fts_description` AFTER UPDATE OF description ON `camera_events` BEGIN
  UPDATE camera_events_fts SET description = coalesce(new.description, '') WHERE rowid = new.seq;
END;
--> statement-breakpoint
CREATE TRIGGER `camera_events_fts_delete` AFTER DELETE ON `camera_events` BEGIN
  DELETE FROM camera_events_fts WHERE rowid = old.seq;
END;
