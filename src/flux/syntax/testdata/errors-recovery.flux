// Several unrelated mistakes: each is reported with its position, and parsing goes on.
a = )
b = [1, 2
c = 0123
d = 2018-01-01T00:00:00
e = x |> y
f = {a, b: 1}
g(a: 1 b: 2)
h = if x then y
k = "unterminated ${x
