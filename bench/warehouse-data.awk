# CSV data for the warehouse benchmarks (bench/transform.sh, bench/audit.sh), deterministic.
#   awk -v mode=year -v lines=1000000 -v dir=D -f bench/warehouse-data.awk
#       customers (50,000, 10 % move mid-year: a second version), products (2,000, 20 % change
#       category on some day: a second version), orders over 365 days from 2025-01-01 (3 lines each),
#       order_items, payments (one per order).
#   awk -v mode=day -v day=365 -v lines=1000000 -v dir=D -f bench/warehouse-data.awk
#       one more day: its new orders, lines and payments, a few new customers and product versions,
#       and status changes (newer versions) of 400 orders of the 30 days before it.
# An order's customer, time and channel follow from its number, so a later day can re-send it.
function order_ts(o) { return 1735689600 + int(o / opd) * 86400 + (o * 7919) % 86400 }
function iso(t) { return strftime("%Y-%m-%dT%H:%M:%SZ", t, 1) }
function order_row(id, o, status, updated) {
  return sprintf("%s,c-%06d,%s,%s,%s,%s", id, (o * 104729) % 50000, iso(order_ts(o)), status, ch[o % 3 + 1], iso(updated))
}
BEGIN {
  srand(mode == "day" ? 1000 + day : 11);
  split("kitchen garden toys books sports beauty electronics fashion", cat, " ");
  split("paid shipped delivered delivered delivered placed cancelled returned", st, " ");
  split("web mobile marketplace", ch, " ");
  split("credit_card debit_card paypal gift_card bank_transfer", pm, " ");
  orders = int((lines + 2) / 3); opd = orders / 365;
  C = dir "/customers.csv"; P = dir "/products.csv"; O = dir "/orders.csv"; I = dir "/order_items.csv"; Y = dir "/payments.csv";
  print "customer_id,email,first_name,last_name,city,state,country,signup_at,updated_at" > C;
  print "product_id,name,category,unit_price,unit_cost,updated_at" > P;
  print "order_id,customer_id,order_ts,status,channel,updated_at" > O;
  print "order_id,line_number,product_id,quantity,unit_price,discount" > I;
  print "payment_id,order_id,method,amount,status,paid_at" > Y;
  if (mode == "year") {
    for (c = 0; c < 50000; c++) {
      printf "c-%06d,c%d@example.com,First,Last,City%d,ST,US,2024-01-01T00:00:00Z,2024-01-01T00:00:00Z\n", c, c, c % 50 >> C;
      if (c % 10 == 0)
        printf "c-%06d,c%d@example.com,First,Last,Moved%d,ST,US,2024-01-01T00:00:00Z,%s\n", c, c, c % 7, iso(1735689600 + int(rand() * 365) * 86400) >> C;
    }
    for (p = 0; p < 2000; p++) {
      printf "p-%04d,Product %d,%s,%.2f,,2024-01-01T00:00:00Z\n", p, p, cat[p % 8 + 1], 1 + rand() * 200 >> P;
      if (p % 5 == 0)
        printf "p-%04d,Product %d,%s,%.2f,,%s\n", p, p, cat[(p + 3) % 8 + 1], 1 + rand() * 200, iso(1735689600 + int(rand() * 365) * 86400) >> P;
    }
    first = 0; last = orders;
  } else {
    first = int(day * opd); last = int((day + 1) * opd);
    for (c = 0; c < 50; c++)
      printf "c-d%d-%03d,n%d@example.com,New,Customer,City,ST,US,%s,%s\n", day, c, c, iso(1735689600 + day * 86400), iso(1735689600 + day * 86400) >> C;
    for (p = 0; p < 10; p++) {
      q = int(rand() * 2000);
      printf "p-%04d,Product %d,%s,%.2f,,%s\n", q, q, cat[(q + day) % 8 + 1], 1 + rand() * 200, iso(1735689600 + day * 86400 + 60 + p) >> P;
    }
    for (k = 0; k < 400; k++) {
      o = int((day - 30) * opd) + int(rand() * 30 * opd);
      printf "%s\n", order_row(sprintf("o-%07d", o), o, (k % 4 == 0 ? "returned" : "delivered"), 1735689600 + day * 86400 + k) >> O;
    }
  }
  n = 0;
  for (o = first; o < last; o++) {
    id = sprintf("o-%07d", o);
    printf "%s\n", order_row(id, o, st[int(rand() * 8) + 1], order_ts(o)) >> O;
    total = 0;
    for (l = 1; l <= 3; l++) {
      q = 1 + int(rand() * 3); price = 1 + rand() * 200; total += q * sprintf("%.2f", price);
      printf "%s,%d,p-%04d,%d,%.2f,0\n", id, l, int(rand() * 2000), q, price >> I;
    }
    printf "pay-%07d,%s,%s,%.2f,captured,%s\n", o, id, pm[int(rand() * 5) + 1], total, iso(order_ts(o) + 60) >> Y;
  }
}
