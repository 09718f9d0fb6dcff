import { describe, expect, it } from "vitest";
import { clientNetwork } from "~/lib/client-ip.server";

describe("clientNetwork (the per-client activation limit's key, ADR 013)", () => {
  it("an IPv4 address is itself; an IPv4-mapped IPv6 address is its IPv4 address", () => {
    expect(clientNetwork("203.0.113.7")).toBe("203.0.113.7");
    expect(clientNetwork("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(clientNetwork("unknown")).toBe("unknown");
  });

  it("an IPv6 address is its /64, however it is written", () => {
    const net = "2001:db8:5:7::/64";
    for (const ip of ["2001:db8:5:7::1", "2001:0DB8:0005:0007:ffff:1:2:3", "2001:db8:5:7:a::", "2001:db8:5:7:0:0:0:1"]) expect(clientNetwork(ip)).toBe(net);
    expect(clientNetwork("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientNetwork("2001:db8:5:8::1")).not.toBe(net);
    expect(clientNetwork("::1")).toBe("0:0:0:0::/64");
  });
});
