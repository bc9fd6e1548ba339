"""Logits processors of transformers' generate(), in numpy, written from the documented semantics of
RepetitionPenaltyLogitsProcessor and MinNewTokensLengthLogitsProcessor (transformers/generation/logits_process.py),
not from jneuron's Java:

- repetition penalty: for every token id that occurs in the sequence so far (prompt and generated ids), its score is
  divided by the penalty when it is > 0 and multiplied by it otherwise (score < 0 -> score * penalty,
  else score / penalty); each id counts once however often it occurs;
- min_new_tokens: while fewer than min_new_tokens tokens were generated after the prompt, the scores of every EOS id
  are set to -inf.

transformers applies the repetition penalty before the min-new-tokens mask (its processor list order); the two
commute anyway, since -inf * penalty is -inf.
"""
import numpy as np


def repetition_penalty(scores, seen_ids, penalty):
    """A copy of `scores` with the penalty applied to the ids in `seen_ids`."""
    out = np.array(scores, dtype=np.float64, copy=True)
    if penalty == 1.0:
        return out
    ids = np.unique(np.asarray(list(seen_ids), dtype=np.int64))
    gathered = out[ids]
    out[ids] = np.where(gathered < 0, gathered * penalty, gathered / penalty)
    return out


def min_new_tokens(scores, new_tokens_so_far, minimum, eos_ids):
    """A copy of `scores` with every EOS id at -inf while new_tokens_so_far < minimum."""
    out = np.array(scores, dtype=np.float64, copy=True)
    if new_tokens_so_far < minimum:
        for e in eos_ids:
            if 0 <= e < out.shape[-1]:
                out[e] = -np.inf
    return out


def process(scores, prompt_ids, generated_ids, penalty, minimum, eos_ids):
    """Both processors in transformers' order for the next token after prompt_ids + generated_ids."""
    scores = repetition_penalty(scores, list(prompt_ids) + list(generated_ids), penalty)
    return min_new_tokens(scores, len(generated_ids), minimum, eos_ids)
