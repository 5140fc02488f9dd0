-- Issue 17's mix: every request a question the cache has not seen. Every KPI endpoint, random ranges
-- of up to 6 months in 2025, random granularity, category filters, top products by units and by
-- revenue with random limits and offsets, geography by country and state, payment methods, weekday,
-- channels, cohorts, customer-ltv, single customers, RFM segments at a random reference day. ENDPOINT=<name> keeps one kind only (for the
-- per-endpoint figures). A counter in each request keeps two requests from ever being the same.
local day0 = os.time{year = 2025, month = 1, day = 1, hour = 12}
local function date(d) return os.date("!%Y-%m-%d", day0 + d * 86400) end
local categories = {"kitchen", "garden", "toys", "books", "sports", "beauty", "electronics", "fashion"}
local granularities = {"day", "week", "month"}
local n = 0
local kinds = {
  summary = function(f, t) return "/api/v1/kpis/summary?from=" .. f .. "&to=" .. t end,
  revenue = function(f, t) return "/api/v1/kpis/revenue?granularity=" .. granularities[math.random(3)] .. "&from=" .. f .. "&to=" .. t end,
  ["revenue-category"] = function(f, t) return "/api/v1/kpis/revenue?granularity=" .. granularities[math.random(3)]
    .. "&category=" .. categories[math.random(8)] .. "&from=" .. f .. "&to=" .. t end,
  ["revenue-by-category"] = function(f, t) return "/api/v1/kpis/revenue-by-category?from=" .. f .. "&to=" .. t end,
  ["revenue-by-channel"] = function(f, t) return "/api/v1/kpis/revenue-by-channel?from=" .. f .. "&to=" .. t end,
  ["top-products"] = function(f, t) return "/api/v1/kpis/top-products?by=" .. (math.random(2) == 1 and "units" or "revenue")
    .. "&limit=" .. math.random(1, 100) .. "&offset=" .. math.random(0, 50) .. "&from=" .. f .. "&to=" .. t end,
  geography = function(f, t) return "/api/v1/kpis/geography?level=" .. (math.random(2) == 1 and "country" or "state")
    .. "&from=" .. f .. "&to=" .. t end,
  ["payment-methods"] = function(f, t) return "/api/v1/kpis/payment-methods?from=" .. f .. "&to=" .. t end,
  weekday = function(f, t) return "/api/v1/kpis/weekday?from=" .. f .. "&to=" .. t end,
  cohorts = function(f, t) return "/api/v1/kpis/cohorts?from=" .. string.sub(f, 1, 7) .. "&to=" .. string.sub(t, 1, 7) end,
  ["customer-ltv"] = function(f, t) return "/api/v1/kpis/customer-ltv?limit=" .. math.random(1, 100) .. "&offset=" .. math.random(0, 5000) end,
  customer = function(f, t) return "/api/v1/kpis/customers/c-" .. string.format("%06d", math.random(0, 49999)) end,
  ["rfm-segments"] = function(f, t) return "/api/v1/kpis/rfm-segments" .. (math.random(10) == 1 and "" or "?reference_date=" .. t) end,
}
local names = {}
for name, _ in pairs(kinds) do table.insert(names, name) end
table.sort(names)
local only = os.getenv("ENDPOINT")
init = function(args) math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000) end
request = function()
  n = n + 1
  local a = math.random(0, 364)
  local b = math.min(364, a + math.random(0, 182))
  local name = only or names[math.random(#names)]
  local path = kinds[name](date(a), date(b))
  -- an unused parameter makes each request unique even when the random draw repeats
  return wrk.format("GET", path .. (string.find(path, "?", 1, true) and "&" or "?") .. "q=" .. n .. "-" .. math.random(1e9))
end
