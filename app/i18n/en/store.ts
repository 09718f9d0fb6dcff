/** Strings of /, /store, /store/:sku, ProductCard (wp/store). Same keys in ../zh-CN/store.ts (test/unit/i18n-catalogues.test.ts checks). */
export const store = {
  meta: {
    storeTitle: "Store — AOVIS Edge",
    storeDescription: "NEXA cameras, SIM data, cloud recording plans and the voice studio, with prices and what each plan keeps.",
    productTitle: "{name} — AOVIS Edge",
  },
  /** The free trial's terms, told from the catalogue's numbers (app/domain/product-details TRIAL_TERMS). */
  trial: {
    summary: "{freeDays} days free, {historyDays, plural, =1 {24 hours} other {# days}} of cloud history",
    line: "Free trial: {summary}, from the camera's first activation.",
  },
  home: {
    title: "See what matters, from anywhere",
    lede: "NEXA cameras record in up to 4K and keep footage safely in the cloud for as long as your plan allows. Every new camera starts with a free trial: {summary}.",
    shop: "Shop cameras and plans",
    activate: "Activate a camera",
    cameras: "Cameras",
    plans: "Cloud recording plans",
    compare: "Compare every plan side by side",
  },
  title: "Store",
  sections: {
    hardware: { title: "Cameras", blurb: "Every NEXA camera comes with a free trial: {summary}, once per camera." },
    sim_plan: { title: "SIM data plans", blurb: "LTE data for cameras away from Wi-Fi." },
    cloud_plan: { title: "Cloud recording plans", blurb: "Per camera, monthly. Plans differ by how far back you can watch." },
    voice_tier: { title: "Voice studio", blurb: "Text to speech and voice cloning for announcements and clips." },
  },
  card: {
    buy: "Buy {name}",
    choose: "Choose {name}",
    see: "See {name}",
  },
  /** A monthly price after its amount (the amount is Intl's, in the served locale). */
  perMonth: "{price}/mo",
  product: {
    choosePlanCamera: "Choose a camera for this plan",
    openVoice: "Open the voice studio",
    signInSubscribe: "Sign in to subscribe",
    openingCheckout: "Opening checkout…",
    subscribe: "Subscribe to {name}",
    quantity: "Quantity",
    buy: "Buy with secure checkout",
    signInBuy: "Sign in to buy",
    specs: "Specifications",
    specsCaption: "{name} specifications",
    inTheBox: "In the box",
    shippingTitle: "Shipping and returns",
    plansForCamera: "Cloud recording plans for this camera",
    comparePlans: "Compare the plans",
    plansNote: "Plans are per camera and monthly; cancel any time in the billing portal.",
    comparisonCaption: "Cloud recording plans compared",
  },
  /** The shipping and returns promise on every physical product (ADR 029); the warranty line on cameras. */
  shipping: {
    shipping: "Free standard shipping; ships within 2 business days, tracked.",
    returns: "30-day returns: send it back unused or used, in its box, for a full refund.",
    warranty: "2-year warranty on every NEXA camera.",
  },
  /** Spec table row labels, by the codes in app/domain/product-details.ts. */
  specLabel: {
    video: "Video",
    fieldOfView: "Field of view",
    nightVision: "Night vision",
    audio: "Audio",
    privacy: "Privacy",
    connectivity: "Connectivity",
    localStorage: "Local storage",
    weatherRating: "Weather rating",
    use: "Use",
    power: "Power",
    size: "Size and weight",
    warranty: "Warranty",
  },
  /** Alt text of our illustrations, by the image keys in app/domain/product-details.ts. */
  imageAlt: {
    nexaPrime4k: "NEXA Prime 4K: a white outdoor bullet camera on a wall mount, with a large lens, a night-vision ring and an LTE antenna",
    nexaMini2k: "NEXA Mini 2K: a compact rounded indoor camera on a small stand, with a sliding privacy shutter beside the lens",
    simData: "An AOVIS nano SIM card with gold contacts and LTE signal bars",
    cloudPlan: "A cloud holding recorded video clips above a timeline",
    voiceStudio: "A studio microphone beside a sound wave",
  },
  /**
   * Each listed product's words by sku: the English is app/domain/plans.ts's (what D1 is seeded with;
   * test/unit/store-words.test.ts holds them equal). Cameras add their spec values and box contents
   * by the codes in app/domain/product-details.ts. Read as data (no ICU arguments in them).
   */
  products: {
    "nexa-prime-4k": {
      description: "4K indoor/outdoor camera with colour night vision, two-way audio and LTE backup.",
      features: { a: "4K HDR video", b: "Colour night vision", c: "Two-way audio", d: "LTE SIM slot", e: "30-day free trial included" },
      specs: {
        video: "4K (3840 × 2160) HDR, 25 fps",
        fieldOfView: "130° diagonal",
        nightVision: "Colour, with spotlight; infrared up to 30 m",
        audio: "Two-way, noise-cancelling microphone and speaker",
        connectivity: "Wi-Fi 6 (2.4 / 5 GHz), LTE nano SIM slot",
        localStorage: "microSD up to 256 GB",
        weatherRating: "IP66, −20 °C to 50 °C",
        power: "12 V DC or PoE (802.3af)",
        size: "186 × 74 × 72 mm, 420 g",
        warranty: "2 years",
      },
      box: {
        camera: "NEXA Prime 4K camera",
        mount: "Wall mount and screws",
        power: "12 V power adapter with 5 m cable",
        cableCover: "Waterproof cable cover",
        guide: "Quick-start guide with your activation code",
      },
    },
    "nexa-mini-2k": {
      description: "Compact 2K indoor camera for every room.",
      features: { a: "2K video", b: "Privacy shutter", c: "Two-way audio", d: "30-day free trial included" },
      specs: {
        video: "2K (2560 × 1440), 25 fps",
        fieldOfView: "110° diagonal",
        nightVision: "Infrared up to 8 m",
        audio: "Two-way, microphone and speaker",
        privacy: "Sliding lens shutter",
        connectivity: "Wi-Fi (2.4 GHz)",
        localStorage: "microSD up to 128 GB",
        use: "Indoor, 0 °C to 40 °C",
        power: "USB-C, 5 V",
        size: "62 × 48 × 98 mm on its stand, 140 g",
        warranty: "2 years",
      },
      box: {
        camera: "NEXA Mini 2K camera with stand",
        power: "USB-C cable (2 m) and power adapter",
        mount: "Wall plate and screws",
        guide: "Quick-start guide with your activation code",
      },
    },
    "aovis-sim-data-5gb": {
      description: "Prepaid LTE data for NEXA cameras away from Wi-Fi: 5 GB, valid 30 days.",
      features: { a: "5 GB LTE data", b: "Valid 30 days", c: "Nano SIM, ships in 2 days" },
    },
    "aovis-cloud-local": {
      // An ordinary word rather than a brand, so it is translated (services' plans.local says the same).
      name: "Local",
      description: "Record to the camera's own microSD card. No cloud history.",
      features: { a: "Live view", b: "microSD recording", c: "No cloud history" },
    },
    "aovis-cloud-storage-starter": {
      description: "A day of cloud history for one camera.",
      features: { a: "24 hours of cloud history", b: "AI summaries", c: "Smart search" },
    },
    "aovis-cloud-storage-standard": {
      description: "A week of cloud history for one camera.",
      features: { a: "7 days of cloud history", b: "AI summaries", c: "Smart search" },
    },
    "aovis-cloud-storage-premium": {
      description: "A month of cloud history for one camera.",
      features: { a: "30 days of cloud history", b: "AI summaries", c: "Smart search" },
    },
    "aovis-voice-free": {
      description: "Try the voice studio.",
      features: { a: "10 generations a month", b: "4 voice presets" },
    },
    "aovis-voice-basic": {
      description: "For regular announcements and clips.",
      features: { a: "100 generations a month", b: "10 voice presets", c: "Instant voice cloning" },
    },
    "aovis-voice-premium": {
      description: "Unlimited studio with full control.",
      features: {
        a: "Unlimited generations",
        b: "All 14 voice presets",
        c: "Stability, similarity, style and speed sliders",
        d: "Speaker boost on or off",
        e: "Custom presets",
        f: "Instant voice cloning",
      },
    },
  },
};
