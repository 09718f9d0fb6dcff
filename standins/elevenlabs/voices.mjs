// Premade voices of the ElevenLabs stand-in. Ids and names are those of real ElevenLabs premade
// voices (so ids copied from the provider's docs work locally); labels are approximate.
// `pitchHz` is stand-in only (it shapes the generated tones) and is never sent to clients.
export const PREMADE_VOICES = [
  ["21m00Tcm4TlvDq8ikWAM", "Rachel", "american", "young", "female", "calm", "narration", 220],
  ["EXAVITQu4vr4xnSDxMaL", "Sarah", "american", "young", "female", "soft", "news", 235],
  ["JBFqnCBsd6RMkjVDRZzb", "George", "british", "middle aged", "male", "warm", "narration", 120],
  ["nPczCjzI2devNBz1zQrb", "Brian", "american", "middle aged", "male", "deep", "narration", 100],
  ["onwK4e9ZLuTAKqWW03F9", "Daniel", "british", "middle aged", "male", "authoritative", "news", 125],
  ["pFZP5JQG7iQjIQuC4Bku", "Lily", "british", "middle aged", "female", "warm", "narration", 205],
  ["IKne3meq5aSn9XLyUdCD", "Charlie", "australian", "middle aged", "male", "natural", "conversational", 140],
  ["XrExE9yKIg1WjnnlVkGX", "Matilda", "american", "middle aged", "female", "friendly", "narration", 210],
].map(([voice_id, name, accent, age, gender, description, use_case, pitchHz]) => ({
  voice_id,
  name,
  category: "premade",
  labels: { accent, age, gender, description, use_case },
  description: `A ${description} ${accent} ${gender} voice for ${use_case}.`,
  pitchHz,
}));
