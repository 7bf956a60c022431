import { describe, expect, it } from "vitest";
import { KqlError, type KqlValue, parseKql } from "../../src/emulator/kql";
import { type KqlColumn, type KqlResult, type KqlRow, type KqlSource, runKql } from "../../src/emulator/kql-eval";

const NOW = new Date("2026-03-10T10:15:20Z");
const COLUMNS: KqlColumn[] = [
  { name: "TimeGenerated", type: "datetime" },
  { name: "ApiId", type: "string" },
  { name: "ResponseCode", type: "int" },
  { name: "LastErrorReason", type: "string" },
  { name: "CallerIpAddress", type: "string" },
  { name: "LastErrorMessage", type: "string" },
  { name: "TotalTime", type: "long" },
];
const PER_REQUEST = new Set(["TimeGenerated", "TotalTime"]);

interface Req {
  t: string;
  api: string;
  code: number;
  reason: string;
  ip: string;
  ms: number;
  msg?: string;
}

const requests: Req[] = [
  { t: "2026-03-10T10:01:05Z", api: "orders", code: 200, reason: "", ip: "203.0.113.24", ms: 80 },
  { t: "2026-03-10T10:01:40Z", api: "orders", code: 200, reason: "", ip: "203.0.113.24", ms: 120 },
  { t: "2026-03-10T10:02:10Z", api: "orders", code: 401, reason: "TokenExpired", ip: "198.51.100.7", ms: 9, msg: "Lifetime validation failed. Access denied." },
  { t: "2026-03-10T10:02:50Z", api: "orders", code: 401, reason: "TokenExpired", ip: "198.51.100.7", ms: 11, msg: "Lifetime validation failed. Access denied." },
  { t: "2026-03-10T10:06:30Z", api: "orders", code: 401, reason: "TokenAudienceNotAllowed", ip: "192.0.2.200", ms: 12, msg: "Audience validation failed. Access denied." },
  { t: "2026-03-10T10:07:00Z", api: "Payments", code: 502, reason: "BackendConnectionFailure", ip: "203.0.113.99", ms: 30000 },
  { t: "2026-03-10T10:11:15Z", api: "payments", code: 403, reason: "SubscriptionKeyInvalid", ip: "203.0.113.24", ms: 4 },
  { t: "2026-03-10T10:14:59Z", api: "catalog", code: 200, reason: "", ip: "198.51.100.7", ms: 45 },
];

function flatSource(): KqlSource {
  return {
    columns: COLUMNS,
    perRequest: PER_REQUEST,
    rows: requests.map((r) => ({ values: rowValues(r), n: 1 })),
  };
}

function rowValues(r: Req): Record<string, KqlValue> {
  return {
    TimeGenerated: new Date(r.t),
    ApiId: r.api,
    ResponseCode: r.code,
    LastErrorReason: r.reason,
    CallerIpAddress: r.ip,
    LastErrorMessage: r.msg ?? "",
    TotalTime: r.ms,
  };
}

/** The same requests grouped by minute and constant columns, as the log generator hands them over. */
function groupedSource(withTimeRange = false): KqlSource {
  const groups = new Map<string, Req[]>();
  for (const r of requests) {
    const minute = Math.floor(new Date(r.t).getTime() / 60_000) * 60_000;
    const key = JSON.stringify([minute, r.api, r.code, r.reason, r.ip, r.msg ?? ""]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const rows: KqlRow[] = [...groups.values()].map((members) => {
    const { TimeGenerated: _t, TotalTime: _ms, ...shared } = rowValues(members[0]!);
    return {
      values: shared,
      n: members.length,
      minute: Math.floor(new Date(members[0]!.t).getTime() / 60_000) * 60_000,
      ...(withTimeRange
        ? { timeRange: [new Date(members[0]!.t).getTime(), new Date(members[members.length - 1]!.t).getTime()] as [number, number] }
        : {}),
      expand: () => members.map((m) => ({ TimeGenerated: new Date(m.t), TotalTime: m.ms })),
    };
  });
  return { columns: COLUMNS, perRequest: PER_REQUEST, rows };
}

function run(query: string, source = flatSource()): KqlResult {
  return runKql(parseKql(query), query, source, NOW);
}

function column(result: KqlResult, name: string): KqlValue[] {
  const i = result.columns.findIndex((c) => c.name === name);
  return result.rows.map((r) => r[i]!);
}

function kqlError(query: string): KqlError {
  try {
    run(query);
  } catch (e) {
    if (e instanceof KqlError) return e;
    throw e;
  }
  throw new Error(`no error for: ${query}`);
}

describe("KQL where", () => {
  it.each([
    ["ResponseCode == 401", 3],
    ["ResponseCode != 200", 5],
    ["ApiId == 'payments'", 1],
    ["ApiId =~ 'PAYMENTS'", 2],
    ["ApiId !~ 'payments'", 6],
    ["ResponseCode >= 400 and ResponseCode < 500", 4],
    ["ResponseCode > 401 or ResponseCode <= 200", 5],
    ["ResponseCode in (401, 403)", 4],
    ["ResponseCode !in (200, 401)", 2],
    ["ApiId in~ ('PAYMENTS', 'Catalog')", 3],
    ["ApiId in ('PAYMENTS', 'Catalog')", 0],
    ["TotalTime between (10 .. 100)", 4],
    ["TimeGenerated between (datetime(2026-03-10T10:02:00Z) .. datetime(2026-03-10 10:07:00))", 4],
    ["TimeGenerated > ago(5m)", 2],
    ["TimeGenerated >= now(-9m) and TimeGenerated < now()", 4],
    ["LastErrorMessage has 'audience'", 1],
    ["LastErrorMessage has 'aud'", 0],
    ["LastErrorMessage contains 'aud'", 1],
    ["LastErrorReason startswith 'token'", 3],
    ["LastErrorReason !startswith 'token' and isnotempty(LastErrorReason)", 2],
    ["isempty(LastErrorReason)", 3],
    ["not(ResponseCode == 200 or ResponseCode == 401)", 2],
    ["(ResponseCode == 200 or ResponseCode == 401) and CallerIpAddress == '198.51.100.7'", 3],
    ["ResponseCode == 200 or ResponseCode == 401 and CallerIpAddress == '198.51.100.7'", 5],
    ["CallerIpAddress == \"203.0.113.24\"", 3],
  ])("%s keeps %i rows", (pred, expected) => {
    expect(run(`T | where ${pred}`).rows).toHaveLength(expected);
  });
});

describe("KQL string literals", () => {
  it("keeps an escaped quote inside the literal, so input cannot add a condition", () => {
    const hostile = "x' or ApiId != '";
    const escaped = hostile.replace(/\\/g, "\\\\").replace(/'/g, "\\'");
    expect(run(`T | where ApiId == '${escaped}'`).rows).toHaveLength(0);
    // Pasted raw, the same text rewrites the query and matches everything: the escape is what protects it.
    expect(run(`T | where ApiId == '${hostile}'`).rows).toHaveLength(requests.length);
  });

  it("reads verbatim strings with doubled quotes, and // comments only outside strings", () => {
    expect(run("T | where CallerIpAddress != @'a''b' // a comment with ' a quote\n| count").rows).toEqual([[8]]);
    expect(run("T | where ApiId == 'https://orders' | count").rows).toEqual([[0]]);
  });

  it("refuses an unterminated string and an unknown escape, naming where", () => {
    expect(kqlError("T | where ApiId == 'orders").message).toMatch(/Unterminated string literal \(line 1, position 20\)/);
    expect(kqlError("T | where ApiId == 'or\\qders'").message).toMatch(/Invalid escape sequence/);
  });
});

describe("KQL tabular operators", () => {
  it("summarizes with named and default aggregate names, grouped by a time bin", () => {
    const r = run(
      "T | where ResponseCode >= 400 | summarize Failures = count(), dcount(CallerIpAddress), Slowest = max(TotalTime), countif(ResponseCode == 401) by Window = bin(TimeGenerated, 5m) | order by Window asc",
    );
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      "Window:datetime",
      "Failures:long",
      "dcount_CallerIpAddress:long",
      "Slowest:long",
      "countif_:long",
    ]);
    expect(r.rows.map((row) => [(row[0] as Date).toISOString(), ...row.slice(1)])).toEqual([
      ["2026-03-10T10:00:00.000Z", 2, 1, 11, 2],
      ["2026-03-10T10:05:00.000Z", 2, 2, 30000, 1],
      ["2026-03-10T10:10:00.000Z", 1, 1, 4, 0],
    ]);
  });

  it("sums, averages, takes any and finds the latest row per group with arg_max", () => {
    const r = run("T | summarize sum(TotalTime), avg(TotalTime), take_any(ApiId), min(TimeGenerated) by ResponseCode | order by ResponseCode asc");
    expect(column(r, "sum_TotalTime")).toEqual([245, 32, 4, 30000]);
    expect(column(r, "avg_TotalTime")).toEqual([245 / 3, 32 / 3, 4, 30000]);
    const latest = run("T | summarize arg_max(TimeGenerated, *) by ApiId | project ApiId, CallerIpAddress | order by ApiId asc");
    expect(latest.rows).toEqual([
      ["Payments", "203.0.113.99"],
      ["catalog", "198.51.100.7"],
      ["orders", "192.0.2.200"],
      ["payments", "203.0.113.24"],
    ]);
  });

  it("collects sets and lists, counts and sums conditionally, and lists distinct values", () => {
    const r = run(
      "T | summarize Ips = make_set(CallerIpAddress), Codes = make_list(ResponseCode, 3), Slow = sumif(TotalTime, TotalTime > 50), Bad = dcountif(CallerIpAddress, ResponseCode >= 400) by ApiId | where ApiId == 'orders'",
    );
    expect(r.columns.map((c) => c.type)).toEqual(["string", "dynamic", "dynamic", "long", "long"]);
    expect(JSON.parse(r.rows[0]![1] as string)).toEqual(["203.0.113.24", "198.51.100.7", "192.0.2.200"]);
    expect(JSON.parse(r.rows[0]![2] as string)).toEqual([200, 200, 401]);
    expect(r.rows[0]!.slice(3)).toEqual([200, 2]);
    expect(run("T | distinct ApiId | order by ApiId asc").rows).toEqual([["Payments"], ["catalog"], ["orders"], ["payments"]]);
  });

  it("extends, projects with renames, sorts descending by default, tops and takes", () => {
    const r = run("T | extend Seconds = TotalTime / 1000 | project Api = ApiId, Seconds, ResponseCode | order by Seconds | take 2");
    expect(r.columns.map((c) => c.name)).toEqual(["Api", "Seconds", "ResponseCode"]);
    expect(r.rows[0]).toEqual(["Payments", 30, 502]);
    expect(run("T | top 3 by TotalTime asc | project TotalTime").rows).toEqual([[4], [9], [11]]);
    expect(run("T | limit 3").rows).toHaveLength(3);
    expect(run("T | where ResponseCode == 999 | summarize count()").rows).toEqual([[0]]);
    expect(run("T | where ResponseCode == 999 | summarize count() by ApiId").rows).toEqual([]);
  });
});

describe("KQL errors", () => {
  it("names an unsupported operator and where it stands", () => {
    const e = kqlError("ApiManagementGatewayLogs\n| where ResponseCode == 401\n| join kind=inner (Other) on CorrelationId");
    expect(e.kind).toBe("semantic");
    expect(e.token).toBe("join");
    expect([e.line, e.pos]).toEqual([3, 3]);
    expect(e.message).toContain("Unsupported operator 'join'");
    expect(kqlError("T | mv-expand Errors").message).toContain("'mv-expand'");
    expect(kqlError("let x = 1; T").message).toContain("'let'");
  });

  it("names an unknown column and an unknown function", () => {
    expect(kqlError("T | where Bogus == 1").message).toContain("named 'Bogus'");
    expect(kqlError("T | where parse_json(ApiId) == 1").message).toContain("'parse_json'");
    expect(kqlError("T | where count() > 1").message).toContain("aggregation");
  });
});

describe("KQL over grouped rows", () => {
  it.each([
    "T | summarize count() by ApiId, ResponseCode",
    "T | summarize n = count(), first = min(TimeGenerated), last = max(TimeGenerated) by LastErrorReason",
    "T | where TimeGenerated > datetime(2026-03-10T10:02:30Z) | summarize count() by bin(TimeGenerated, 5m)",
    "T | where TimeGenerated between (datetime(2026-03-10T10:01:30Z) .. datetime(2026-03-10T10:06:45Z)) | count",
    "T | where ResponseCode == 401 | project TimeGenerated, ApiId, TotalTime",
    "T | where ResponseCode >= 400 | summarize avg(TotalTime), dcount(CallerIpAddress) by bin(TimeGenerated, 1m)",
    "T | top 2 by TimeGenerated desc",
    "T | where ResponseCode == 200 | take 2",
  ])("answers %s exactly as over single rows", (query) => {
    const flat = run(query);
    const norm = (r: KqlResult): string[] => r.rows.map((row) => JSON.stringify(row)).sort();
    for (const source of [groupedSource(false), groupedSource(true)]) {
      const grouped = run(query, source);
      expect(grouped.columns).toEqual(flat.columns);
      expect(norm(grouped)).toEqual(norm(flat));
    }
    expect(flat.rows.length).toBeGreaterThan(0);
  });

  it("does not expand rows a filter on shared columns already decides", () => {
    let expanded = 0;
    const source = groupedSource();
    source.rows = source.rows.map((r) => ({
      ...r,
      expand: () => {
        expanded++;
        return r.expand!();
      },
    }));
    const counts = run("T | where ResponseCode in (401, 403) | summarize count() by ApiId, bin(TimeGenerated, 5m)", source);
    expect(column(counts, "count_").reduce((a, b) => (a as number) + (b as number), 0)).toBe(4);
    expect(expanded).toBe(0);
  });

  it("answers first and last seen from a row's time range without expanding it", () => {
    let expanded = 0;
    const source = groupedSource(true);
    source.rows = source.rows.map((r) => ({
      ...r,
      expand: () => {
        expanded++;
        return r.expand!();
      },
    }));
    const seen = run("T | where ResponseCode == 401 | summarize FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated) by ApiId", source);
    expect(seen.rows.map((r) => r.map((v) => (v instanceof Date ? v.toISOString() : v)))).toEqual([
      ["orders", "2026-03-10T10:02:10.000Z", "2026-03-10T10:06:30.000Z"],
    ]);
    expect(expanded).toBe(0);
  });
});
