// One line per row of the SPEC's operator precedence table, lowest binding last.
p1 = a.b(c: d)[e]
p2 = x |> f() |> g()
p3 = (v) => v + 1
p4 = a ^ b ^ c * d
p5 = a * b / c % d + e
p6 = a + b - c * d
p7 = a + b == c and d < e - f or g =~ /h/
p8 = not a == b and exists c
p9 = a and b or c and d
p10 = a or b or c
p11 = if a or b then c + d else e * f
mix = -a ^ 2 |> f() * 3
