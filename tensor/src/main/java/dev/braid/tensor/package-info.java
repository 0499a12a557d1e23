/**
 * Tensor helpers every Braid module shares. {@link dev.braid.tensor.Scalars} is arithmetic with
 * Java numbers that stays correct under autograd (DJL's own {@code NDArray.op(Number)} overloads
 * free the scalar before backward reads it).
 */
package dev.braid.tensor;
