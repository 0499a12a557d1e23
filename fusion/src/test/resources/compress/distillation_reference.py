# Reference for DistillationLossTest, in plain Python (no torch): the soft-target term
# T^2 * mean_b sum_c p_t log(p_t / p_s), p = softmax(z / T), on the test's logits.
import math

def softmax(z, t):
    e = [math.exp(v / t) for v in z]
    s = sum(e)
    return [v / s for v in e]

def soft(student, teacher, t):
    total = 0.0
    for s_row, t_row in zip(student, teacher):
        ps, pt = softmax(s_row, t), softmax(t_row, t)
        total += sum(a * math.log(a / b) for a, b in zip(pt, ps))
    return t * t * total / len(student)

student = [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]
teacher = [[3.0, 2.0, 1.0], [1.0, 0.0, -1.0]]
print("T=2:", soft(student, teacher, 2.0))
print("T=1:", soft(student, teacher, 1.0))
