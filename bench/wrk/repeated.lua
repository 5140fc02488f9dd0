-- A dashboard's panels refreshed by many users: the same KPI requests again and again (cache hits).
local paths = {
  "/api/v1/kpis/summary?from=2025-01-01&to=2025-12-31",
  "/api/v1/kpis/summary?from=2025-11-01&to=2025-11-30",
  "/api/v1/kpis/revenue?from=2025-01-01&to=2025-12-31&granularity=day",
  "/api/v1/kpis/revenue?from=2025-01-01&to=2025-12-31&granularity=week",
  "/api/v1/kpis/revenue?from=2025-01-01&to=2025-12-31&granularity=month",
  "/api/v1/kpis/revenue-by-category?from=2025-01-01&to=2025-12-31",
  "/api/v1/kpis/top-products?from=2025-01-01&to=2025-12-31&limit=10",
  "/api/v1/kpis/cohorts?from=2025-01&to=2025-12",
  "/api/v1/kpis/customers/c-000123",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
