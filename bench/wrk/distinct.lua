-- Every request with its own date range (cache misses): the same mix, ranges drawn at random.
local day0 = os.time{year = 2025, month = 1, day = 1, hour = 12}
local function date(d) return os.date("!%Y-%m-%d", day0 + d * 86400) end
local kinds = {
  function(f, t) return "/api/v1/kpis/summary?from=" .. f .. "&to=" .. t end,
  function(f, t) return "/api/v1/kpis/revenue?granularity=day&from=" .. f .. "&to=" .. t end,
  function(f, t) return "/api/v1/kpis/revenue?granularity=week&from=" .. f .. "&to=" .. t end,
  function(f, t) return "/api/v1/kpis/revenue?granularity=month&from=" .. f .. "&to=" .. t end,
  function(f, t) return "/api/v1/kpis/revenue-by-category?from=" .. f .. "&to=" .. t end,
  function(f, t) return "/api/v1/kpis/top-products?limit=10&from=" .. f .. "&to=" .. t end,
  function(f, t) return "/api/v1/kpis/cohorts?from=" .. string.sub(f, 1, 7) .. "&to=" .. string.sub(t, 1, 7) end,
  function(f, t) return "/api/v1/kpis/customers/c-" .. string.format("%06d", math.random(0, 49999)) end,
}
local i = 0
request = function()
  i = i + 1
  local a = math.random(0, 364)
  local b = math.min(364, a + math.random(0, 90))
  return wrk.format("GET", kinds[(i % #kinds) + 1](date(a), date(b)))
end
