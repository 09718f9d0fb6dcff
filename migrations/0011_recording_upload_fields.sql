ALTER TABLE `voice_recordings` ADD `audio_config_json` text;--> statement-breakpoint
ALTER TABLE `voice_recordings` ADD `preset_used` text;