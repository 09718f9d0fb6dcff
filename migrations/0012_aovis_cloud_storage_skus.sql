-- The existing AOVIS deployment's skus (ADR 021): aovis-cloud-{starter,standard,premium} become
-- aovis-cloud-storage-{starter,standard,premium} in every table that stores a sku. Rows are renamed
-- in place (same ids, same dates, same statuses), so history is kept. Audit details and stored
-- Stripe event payloads keep the sku they were written with: they are records of what happened.
UPDATE `subscriptions` SET `sku` = 'aovis-cloud-storage-' || substr(`sku`, 13) WHERE `sku` IN ('aovis-cloud-starter', 'aovis-cloud-standard', 'aovis-cloud-premium');
--> statement-breakpoint
UPDATE `entitlements` SET `sku` = 'aovis-cloud-storage-' || substr(`sku`, 13) WHERE `sku` IN ('aovis-cloud-starter', 'aovis-cloud-standard', 'aovis-cloud-premium');
--> statement-breakpoint
UPDATE `orders` SET `sku` = 'aovis-cloud-storage-' || substr(`sku`, 13) WHERE `sku` IN ('aovis-cloud-starter', 'aovis-cloud-standard', 'aovis-cloud-premium');
--> statement-breakpoint
-- The catalogue rows (the seed upserts them again from app/domain/plans.ts); an already seeded new
-- row wins and the old one goes.
UPDATE `products` SET `sku` = 'aovis-cloud-storage-' || substr(`sku`, 13)
  WHERE `sku` IN ('aovis-cloud-starter', 'aovis-cloud-standard', 'aovis-cloud-premium')
  AND NOT EXISTS (SELECT 1 FROM `products` p WHERE p.`sku` = 'aovis-cloud-storage-' || substr(`products`.`sku`, 13));
--> statement-breakpoint
DELETE FROM `products` WHERE `sku` IN ('aovis-cloud-starter', 'aovis-cloud-standard', 'aovis-cloud-premium');
