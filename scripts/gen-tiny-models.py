#!/usr/bin/python3
"""Generate tiny RANDOM-weight models in the real Hugging Face / transformers.js layout, for tests of the
production adapters (models/production/). Their outputs are meaningless; only shapes, formats and code paths
are real.

Usage: /usr/bin/python3 scripts/gen-tiny-models.py <out-dir> [--seed 0]

Writes
  <out>/plenary-tiny/bert-embedder/{config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx}
    a 1-layer, 1-head BERT-like encoder: inputs input_ids, attention_mask, token_type_ids (int64 [batch, seq])
    → last_hidden_state (float32 [batch, seq, 32]), with a real WordPiece tokenizer.json (lower-cased,
    BertPreTokenizer, [CLS] … [SEP] template).

Needs Debian python3-onnx and python3-numpy only (no torch). Deterministic for a given seed.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HIDDEN = 32
FFN = 64
MAX_POS = 128
OPSET = 17

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDS = (
    "the a an of to in and is are was be it that this for on with as by at from we you they he she i "
    "le la les de des du un une et est sont en que qui pour sur dans avec par nous vous ils elle je "
    "climate tax transport public people citizens city town vote agree disagree assembly proposal "
    "climat taxe citoyens ville vote accord assemblée proposition"
).split()


def build_vocab():
    vocab = list(SPECIALS)
    seen = set(vocab)

    def add(tok):
        if tok not in seen:
            seen.add(tok)
            vocab.append(tok)

    for ch in "abcdefghijklmnopqrstuvwxyz0123456789.,;:!?'\"()-éèêàçùôîï":
        add(ch)
        add("##" + ch)
    for w in WORDS:
        add(w)
    # a few common sub-words so WordPiece produces multi-piece words
    for sub in ["##s", "##ing", "##ed", "##er", "##tion", "##ment", "##es", "##ent"]:
        add(sub)
    return vocab


def tokenizer_json(vocab):
    ids = {t: i for i, t in enumerate(vocab)}
    cls, sep = ids["[CLS]"], ids["[SEP]"]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": ids[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for t in SPECIALS
        ],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [cls], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [sep], "tokens": ["[SEP]"]},
            },
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": ids},
    }


def bert_graph(vocab_size, rng):
    def w(name, *shape, scale=0.2):
        return numpy_helper.from_array((rng.standard_normal(shape) * scale).astype(np.float32), name)

    inits = [
        w("word_emb", vocab_size, HIDDEN), w("pos_emb", MAX_POS, HIDDEN), w("type_emb", 2, HIDDEN),
        numpy_helper.from_array(np.ones(HIDDEN, np.float32), "ln_g"),
        numpy_helper.from_array(np.zeros(HIDDEN, np.float32), "ln_b"),
        w("wq", HIDDEN, HIDDEN), w("wk", HIDDEN, HIDDEN), w("wv", HIDDEN, HIDDEN), w("wo", HIDDEN, HIDDEN),
        w("w1", HIDDEN, FFN), w("w2", FFN, HIDDEN),
        numpy_helper.from_array(np.array(0, np.int64), "zero_i"),
        numpy_helper.from_array(np.array(1, np.int64), "one_i"),
        numpy_helper.from_array(np.array([1], np.int64), "axis1"),
        numpy_helper.from_array(np.array(1.0, np.float32), "one_f"),
        numpy_helper.from_array(np.array(-10000.0, np.float32), "neg_big"),
        numpy_helper.from_array(np.array(1.0 / np.sqrt(HIDDEN), np.float32), "scale"),
    ]
    n = helper.make_node
    nodes = [
        # embeddings
        n("Gather", ["word_emb", "input_ids"], ["we"]),
        n("Shape", ["input_ids"], ["ids_shape"]),
        n("Gather", ["ids_shape", "one_i"], ["seq_len"]),
        n("Range", ["zero_i", "seq_len", "one_i"], ["pos_ids"]),
        n("Gather", ["pos_emb", "pos_ids"], ["pe"]),
        n("Gather", ["type_emb", "token_type_ids"], ["te"]),
        n("Add", ["we", "pe"], ["e1"]),
        n("Add", ["e1", "te"], ["e2"]),
        n("LayerNormalization", ["e2", "ln_g", "ln_b"], ["x0"], axis=-1, epsilon=1e-12),
        # single-head self-attention with the padding mask
        n("MatMul", ["x0", "wq"], ["q"]),
        n("MatMul", ["x0", "wk"], ["k"]),
        n("MatMul", ["x0", "wv"], ["v"]),
        n("Transpose", ["k"], ["kt"], perm=[0, 2, 1]),
        n("MatMul", ["q", "kt"], ["s0"]),
        n("Mul", ["s0", "scale"], ["s1"]),
        n("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
        n("Unsqueeze", ["mask_f", "axis1"], ["mask_u"]),  # [b, 1, s]
        n("Sub", ["one_f", "mask_u"], ["inv"]),
        n("Mul", ["inv", "neg_big"], ["bias"]),
        n("Add", ["s1", "bias"], ["s2"]),
        n("Softmax", ["s2"], ["p"], axis=-1),
        n("MatMul", ["p", "v"], ["ctx"]),
        n("MatMul", ["ctx", "wo"], ["attn"]),
        n("Add", ["x0", "attn"], ["x1r"]),
        n("LayerNormalization", ["x1r", "ln_g", "ln_b"], ["x1"], axis=-1, epsilon=1e-12),
        # feed-forward
        n("MatMul", ["x1", "w1"], ["h0"]),
        n("Relu", ["h0"], ["h1"]),
        n("MatMul", ["h1", "w2"], ["h2"]),
        n("Add", ["x1", "h2"], ["x2r"]),
        n("LayerNormalization", ["x2r", "ln_g", "ln_b"], ["last_hidden_state"], axis=-1, epsilon=1e-12),
    ]
    ins = [helper.make_tensor_value_info(name, TensorProto.INT64, ["batch_size", "sequence_length"])
           for name in ("input_ids", "attention_mask", "token_type_ids")]
    outs = [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT,
                                          ["batch_size", "sequence_length", HIDDEN])]
    graph = helper.make_graph(nodes, "tiny_bert", ins, outs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="plenary-gen-tiny-models")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)


def gen_bert(out, seed):
    rng = np.random.default_rng(seed)
    vocab = build_vocab()
    d = os.path.join(out, "plenary-tiny", "bert-embedder")
    os.makedirs(os.path.join(d, "onnx"), exist_ok=True)
    write_json(os.path.join(d, "config.json"), {
        "architectures": ["BertModel"], "model_type": "bert", "hidden_size": HIDDEN, "num_attention_heads": 1,
        "num_hidden_layers": 1, "intermediate_size": FFN, "vocab_size": len(vocab),
        "max_position_embeddings": MAX_POS, "type_vocab_size": 2, "pad_token_id": 0,
        "layer_norm_eps": 1e-12, "hidden_act": "relu",
        "plenary": {"note": "tiny random-weight test model generated by scripts/gen-tiny-models.py", "languages": ["en", "fr"]},
    })
    write_json(os.path.join(d, "tokenizer.json"), tokenizer_json(vocab))
    write_json(os.path.join(d, "tokenizer_config.json"), {
        "tokenizer_class": "BertTokenizer", "do_lower_case": True, "model_max_length": MAX_POS,
        "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]", "mask_token": "[MASK]",
        "clean_up_tokenization_spaces": True,
    })
    onnx.save(bert_graph(len(vocab), rng), os.path.join(d, "onnx", "model.onnx"))
    return d


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = argv[1]
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 0
    paths = [gen_bert(out, seed)]
    for p in paths:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
