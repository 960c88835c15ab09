#!/usr/bin/python3
"""Generate tiny RANDOM-weight models in the real Hugging Face / transformers.js layout, for tests of the
production adapters (models/production/). Their outputs are meaningless; only shapes, formats and code paths
are real.

Usage: /usr/bin/python3 scripts/gen-tiny-models.py <out-dir> [--seed 0] [--only bert,marian,nllb,gpt2]

Writes
  <out>/plenary-tiny/bert-embedder/{config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx}
    a 1-layer, 1-head BERT-like encoder: inputs input_ids, attention_mask, token_type_ids (int64 [batch, seq])
    → last_hidden_state (float32 [batch, seq, 32]), with a real WordPiece tokenizer.json (lower-cased,
    BertPreTokenizer, [CLS] … [SEP] template).
  <out>/plenary-tiny/opus-mt-fr-en/ and opus-mt-en-fr/{config.json, generation_config.json, tokenizer.json,
    tokenizer_config.json, onnx/encoder_model.onnx, onnx/decoder_model_merged.onnx}
    a 1+1-layer, 2-head, d_model 16 Marian translator in optimum's export layout: a merged decoder with a
    working KV cache (use_cache_branch picks cached or freshly computed cross-attention keys/values) and a
    SentencePiece-style Unigram tokenizer.json (Metaspace, </s> = 0, <unk> = 1, <pad> last). Generation
    always runs to max_new_tokens (final_logits_bias keeps </s> and <unk> out; the generation config forces
    </s> at the limit). A directory holding these makes the registry choose transformers.js for translation:
    use --only bert for an embedder-only directory.
  <out>/plenary-tiny/nllb-tiny/{config.json, generation_config.json, tokenizer.json, tokenizer_config.json,
    onnx/encoder_model.onnx, onnx/decoder_model_merged.onnx}   (opt-in: --only nllb; not in the default set)
    a 1+1-layer, 2-head, d_model 16 NLLB model (model_type m2m_100, M2M100's pre-norm architecture) in the same
    optimum layout, with an NllbTokenizer tokenizer.json: one model for every pair of eng_Latn, fra_Latn,
    deu_Latn (language codes as added special tokens, template `[src_lang] $A </s>`; transformers.js forces
    tgt_lang as the first generated token). What is real and what is simplified: see the NLLB section below.
  <out>/plenary-tiny/gpt2-tiny/{config.json, generation_config.json, tokenizer.json, tokenizer_config.json,
    onnx/model.onnx}   (opt-in: --only gpt2; not in the default set)
    a 1-layer, 2-head, n_embd 16, n_positions 128 GPT-2 causal LM exported "with past" (input_ids, attention_mask,
    position_ids, past_key_values.{i}.key/value → logits, present.{i}.key/value: a working KV cache) and a real
    byte-level BPE tokenizer.json (GPT2Tokenizer, ~400 tokens, merges learnt here). Random weights; it never emits
    <|endoftext|> nor unprintable bytes (a logits bias GPT-2 lacks), so generation always runs to max_new_tokens. Real vs simplified:
    see the GPT-2 section below.

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


# ---------------------------------------------------------------------------------------------------------
# Marian (opus-mt) seq2seq, in the layout transformers.js 3.x loads for MarianMTModel:
#   onnx/encoder_model.onnx          input_ids, attention_mask → last_hidden_state
#   onnx/decoder_model_merged.onnx   encoder_attention_mask, input_ids, encoder_hidden_states,
#                                    past_key_values.{i}.{decoder,encoder}.{key,value}, use_cache_branch
#                                    → logits, present.{i}.{decoder,encoder}.{key,value}
# (transformers.js 3.x only ever opens decoder_model_merged for seq2seq; the split decoder_model /
# decoder_with_past_model pair is not used.) The architecture follows Marian: sinusoidal positions,
# embeddings scaled by sqrt(d_model), post-layer-norm blocks, SiLU feed-forward, LM head tied to the
# shared embedding plus final_logits_bias.

M_D = 16          # d_model
M_HEADS = 2
M_DH = M_D // M_HEADS
M_FFN = 32
M_MAX_POS = 512   # max_position_embeddings (= tokenizer model_max_length, as in the real opus-mt models)
M_LAYERS = 1      # encoder_layers = decoder_layers
NEG = -1.0e4

M_WORDS = {
    "fr": "le la les de des du un une et est sont en que qui pour sur dans avec par nous vous ils elle je "
          "climat taxe transport public citoyens ville vote accord assemblée proposition carbone aujourd'hui",
    "en": "the a an of to in and is are was be it that this for on with as by at from we you they he she i "
          "climate tax transport public people citizens city town vote agree assembly proposal carbon today",
}
M_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèêàçùôîïÉÈÀÇ0123456789.,;:!?'\"()-"


def marian_vocab(src, tgt):
    """A SentencePiece-style unigram vocabulary: </s> = 0, <unk> = 1, pieces, <pad> last (as in opus-mt).
    Word pieces start with U+2581 (word boundary); single characters exist with and without it, so any text
    in these scripts tokenises; anything else becomes <unk>."""
    pieces = []
    seen = set()

    def add(p, score):
        if p not in seen:
            seen.add(p)
            pieces.append([p, score])

    for w in (M_WORDS[src] + " " + M_WORDS[tgt]).split():
        add("\u2581" + w, -6.0)
    for ch in M_CHARS:
        add("\u2581" + ch, -9.0)
        add(ch, -10.0)
    return [["</s>", 0.0], ["<unk>", 0.0]] + pieces + [["<pad>", 0.0]]


def marian_tokenizer_json(vocab):
    n = len(vocab)
    special = lambda i: {"id": i, "content": vocab[i][0], "single_word": False, "lstrip": False, "rstrip": False,
                         "normalized": False, "special": True}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [special(0), special(1), special(n - 1)],
        "normalizer": None,
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": False},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 0}},
                     {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "special_tokens": {"</s>": {"id": "</s>", "ids": [0], "tokens": ["</s>"]}},
        },
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": False},
        "model": {"type": "Unigram", "unk_id": 1, "vocab": vocab, "byte_fallback": False},
    }


def sinusoidal(n_pos, dim):
    """Marian's fixed sinusoidal position table: sin in the first half of the features, cos in the second."""
    pos = np.arange(n_pos)[:, None]
    j = np.arange(dim // 2)[None, :]
    angle = pos / np.power(10000, 2 * j / dim)
    return np.concatenate([np.sin(angle), np.cos(angle)], axis=1).astype(np.float32)


class G:
    """Tiny ONNX graph builder: unique names, initializers, nodes."""

    def __init__(self, rng, prefix=""):
        self.rng, self.prefix, self.nodes, self.inits, self.k = rng, prefix, [], [], 0

    def name(self, hint):
        self.k += 1
        return f"{self.prefix}{hint}_{self.k}"

    def const(self, name, arr):
        self.inits.append(numpy_helper.from_array(np.asarray(arr), name))
        return name

    def weight(self, name, *shape, scale=0.3):
        return self.const(name, (self.rng.standard_normal(shape) * scale).astype(np.float32))

    def op(self, op_type, inputs, n_out=1, **attrs):
        outs = [self.name(op_type.lower()) for _ in range(n_out)]
        self.nodes.append(helper.make_node(op_type, inputs, outs, **attrs))
        return outs[0] if n_out == 1 else outs

    def named(self, op_type, inputs, out, **attrs):
        self.nodes.append(helper.make_node(op_type, inputs, [out], **attrs))
        return out


def linear(g, x, w, b):
    return g.op("Add", [g.op("MatMul", [x, w]), b])


def split_heads(g, x):  # [b, t, D] → [b, H, t, Dh]
    r = g.op("Reshape", [x, "heads_shape"])
    return g.op("Transpose", [r], perm=[0, 2, 1, 3])


def merge_heads(g, x):  # [b, H, t, Dh] → [b, t, D]
    t = g.op("Transpose", [x], perm=[0, 2, 1, 3])
    return g.op("Reshape", [t, "model_shape"])


def attend(g, q_heads, k_heads, v_heads, bias, wo, bo):
    kt = g.op("Transpose", [k_heads], perm=[0, 1, 3, 2])
    s = g.op("Mul", [g.op("MatMul", [q_heads, kt]), "attn_scale"])
    p = g.op("Softmax", [g.op("Add", [s, bias])], axis=-1)
    return linear(g, merge_heads(g, g.op("MatMul", [p, v_heads])), wo, bo)


def padding_bias(g, mask):  # int64 [b, s] (1 = token) → float [b, 1, 1, s]: 0 for tokens, NEG for padding
    m = g.op("Cast", [mask], to=TensorProto.FLOAT)
    inv = g.op("Sub", ["one_f", m])
    return g.op("Unsqueeze", [g.op("Mul", [inv, "neg_big"]), "axes_1_2"])


def post_ln(g, x, y, gamma, beta):
    return g.op("LayerNormalization", [g.op("Add", [x, y]), gamma, beta], axis=-1, epsilon=1e-5)


def feed_forward(g, x, p):
    h = linear(g, x, p + "fc1_w", p + "fc1_b")
    h = g.op("Mul", [h, g.op("Sigmoid", [h])])  # SiLU ("swish"), Marian's activation
    return linear(g, h, p + "fc2_w", p + "fc2_b")


def seq2seq_layer_weights(w, r, final_ln=False):
    """Random weights of the encoder (self-attention) and decoder (self- and cross-attention) layers, each with its
    feed-forward block and layer norms (gains 1, biases 0), drawn in a fixed order from `r`; `final_ln` adds each
    side's final layer norm (M2M100)."""
    for side, blocks in (("enc", ("self",)), ("dec", ("self", "cross"))):
        for i in range(M_LAYERS):
            for blk in blocks:
                p = f"{side}{i}_{blk}_"
                for m in "qkvo":
                    w[p + m + "_w"], w[p + m + "_b"] = r(M_D, M_D), r(M_D, scale=0.05)
                w[p + "ln_g"], w[p + "ln_b"] = np.ones(M_D, np.float32), np.zeros(M_D, np.float32)
            p = f"{side}{i}_ffn_"
            w[p + "fc1_w"], w[p + "fc1_b"] = r(M_D, M_FFN), r(M_FFN, scale=0.05)
            w[p + "fc2_w"], w[p + "fc2_b"] = r(M_FFN, M_D), r(M_D, scale=0.05)
            w[p + "ln_g"], w[p + "ln_b"] = np.ones(M_D, np.float32), np.zeros(M_D, np.float32)
        if final_ln:
            w[side + "_final_ln_g"], w[side + "_final_ln_b"] = np.ones(M_D, np.float32), np.zeros(M_D, np.float32)


def marian_weights(rng, vocab_size, pad_id, eos_id, unk_id):
    """All weights as name → array (the encoder and decoder graphs each take the ones they use)."""
    w = {}
    r = lambda *shape, scale=0.3: (rng.standard_normal(shape) * scale).astype(np.float32)
    w["shared_emb"] = r(vocab_size, M_D)
    w["shared_emb"][pad_id] = 0.0  # padding_idx row, as in the real models
    w["pos_table"] = sinusoidal(M_MAX_POS, M_D)
    seq2seq_layer_weights(w, r)
    # final_logits_bias is a real Marian parameter (zeros in trained models). Here it keeps the random model
    # from ending a sentence or emitting <unk> early, so every generation runs to its length limit (the
    # generation config still forces </s> at the limit): tests can then see that the limit is honoured.
    bias = np.zeros(vocab_size, np.float32)
    bias[[eos_id, unk_id]] = NEG
    w["final_logits_bias"] = bias
    return w


def shared_consts(g):
    g.const("heads_shape", np.array([0, 0, M_HEADS, M_DH], np.int64))
    g.const("model_shape", np.array([0, 0, M_D], np.int64))
    g.const("attn_scale", np.array(1.0 / np.sqrt(M_DH), np.float32))
    g.const("emb_scale", np.array(np.sqrt(M_D), np.float32))
    g.const("one_f", np.array(1.0, np.float32))
    g.const("neg_big", np.array(NEG, np.float32))
    g.const("axes_1_2", np.array([1, 2], np.int64))
    g.const("axis_0", np.array([0], np.int64))
    g.const("axis_1", np.array([1], np.int64))
    g.const("zero_i", np.array(0, np.int64))
    g.const("one_i", np.array(1, np.int64))
    g.const("two_i", np.array(2, np.int64))


def node_inputs(nodes):
    """Every value name the nodes read, including inside If branches."""
    names = set()
    for nd in nodes:
        names.update(nd.input)
        for a in nd.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                names.update(node_inputs(a.g.node))
    return names


def finish(g, name, inputs, outputs):
    used = node_inputs(g.nodes)
    graph = helper.make_graph(g.nodes, name, inputs, outputs, [t for t in g.inits if t.name in used])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="plenary-gen-tiny-models")
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def marian_encoder(w, rng):
    g = G(rng)
    shared_consts(g)
    used = [k for k in w if k.startswith("enc") or k in ("shared_emb", "pos_table")]
    for k in used:
        g.const(k, w[k])
    emb = g.op("Mul", [g.op("Gather", ["shared_emb", "input_ids"]), "emb_scale"])
    seq = g.op("Gather", [g.op("Shape", ["input_ids"]), "one_i"])
    pos = g.op("Gather", ["pos_table", g.op("Range", ["zero_i", seq, "one_i"])])
    x = g.op("Add", [emb, pos])
    bias = padding_bias(g, "attention_mask")
    for i in range(M_LAYERS):
        p = f"enc{i}_self_"
        q, k, v = (split_heads(g, linear(g, x, p + m + "_w", p + m + "_b")) for m in "qkv")
        x = post_ln(g, x, attend(g, q, k, v, bias, p + "o_w", p + "o_b"), p + "ln_g", p + "ln_b")
        f = f"enc{i}_ffn_"
        x = post_ln(g, x, feed_forward(g, x, f), f + "ln_g", f + "ln_b")
    g.named("Identity", [x], "last_hidden_state")
    ins = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch_size", "encoder_sequence_length"])
           for n in ("input_ids", "attention_mask")]
    outs = [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch_size", "encoder_sequence_length", M_D])]
    return finish(g, "tiny_marian_encoder", ins, outs)


def cross_kv_if(g, rng, i, c, past, present):
    """Layer i's cross-attention keys/values in a merged decoder: computed from encoder_hidden_states on the first
    step (use_cache_branch = false), taken from past_key_values.i.encoder.* afterwards, with an If node as optimum's
    merged decoders do; written to present.i.encoder.{key,value}."""
    sub = G(rng, prefix=f"nocache{i}_")
    ek = split_heads(sub, linear(sub, "encoder_hidden_states", c + "k_w", c + "k_b"))
    ev = split_heads(sub, linear(sub, "encoder_hidden_states", c + "v_w", c + "v_b"))
    sub.named("Identity", [ek], f"nocache{i}_key")
    sub.named("Identity", [ev], f"nocache{i}_value")
    cached = G(rng, prefix=f"cache{i}_")
    cached.named("Identity", [past(i, "encoder", "key")], f"cache{i}_key")
    cached.named("Identity", [past(i, "encoder", "value")], f"cache{i}_value")
    kv_info = lambda n: helper.make_tensor_value_info(n, TensorProto.FLOAT, None)
    then_graph = helper.make_graph(cached.nodes, f"with_past_{i}", [], [kv_info(f"cache{i}_key"), kv_info(f"cache{i}_value")])
    else_graph = helper.make_graph(sub.nodes, f"no_past_{i}", [], [kv_info(f"nocache{i}_key"), kv_info(f"nocache{i}_value")])
    g.nodes.append(helper.make_node("If", ["use_cache_branch"], [present(i, "encoder", "key"), present(i, "encoder", "value")],
                                    then_branch=then_graph, else_branch=else_graph))


def merged_decoder_io(vocab_size, outputs):
    """Inputs and outputs of an optimum-style merged seq2seq decoder (Marian and M2M100 alike): what transformers.js
    feeds it and reads back, with the KV cache of every layer (`outputs`: the present.* names, in order)."""
    ins = [
        helper.make_tensor_value_info("encoder_attention_mask", TensorProto.INT64, ["batch_size", "encoder_sequence_length"]),
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "decoder_sequence_length"]),
        helper.make_tensor_value_info("encoder_hidden_states", TensorProto.FLOAT, ["batch_size", "encoder_sequence_length", M_D]),
    ]
    for i in range(M_LAYERS):
        for kind, length in (("decoder", "past_decoder_sequence_length"), ("encoder", "encoder_sequence_length_out")):
            for kv in ("key", "value"):
                ins.append(helper.make_tensor_value_info(f"past_key_values.{i}.{kind}.{kv}", TensorProto.FLOAT, ["batch_size", M_HEADS, length, M_DH]))
    ins.append(helper.make_tensor_value_info("use_cache_branch", TensorProto.BOOL, [1]))
    outs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch_size", "decoder_sequence_length", vocab_size])]
    for n in outputs:
        length = "past_decoder_sequence_length + 1" if ".decoder." in n else "encoder_sequence_length_out"
        outs.append(helper.make_tensor_value_info(n, TensorProto.FLOAT, ["batch_size", M_HEADS, length, M_DH]))
    return ins, outs


def marian_decoder_merged(w, rng):
    g = G(rng)
    shared_consts(g)
    for k in w:
        if k.startswith("dec") or k in ("shared_emb", "pos_table", "final_logits_bias"):
            g.const(k, w[k])
    past = lambda i, kind, kv: f"past_key_values.{i}.{kind}.{kv}"
    present = lambda i, kind, kv: f"present.{i}.{kind}.{kv}"

    # positions continue after the cached ones: past_len + [0, t)
    past_len = g.op("Gather", [g.op("Shape", [past(0, "decoder", "key")]), "two_i"])
    t = g.op("Gather", [g.op("Shape", ["input_ids"]), "one_i"])
    total = g.op("Add", [past_len, t])
    q_pos = g.op("Range", [past_len, total, "one_i"])
    emb = g.op("Mul", [g.op("Gather", ["shared_emb", "input_ids"]), "emb_scale"])
    x = g.op("Add", [emb, g.op("Gather", ["pos_table", q_pos])])
    # causal bias [t, past_len + t]: a query at position p sees keys at positions <= p
    k_pos = g.op("Range", ["zero_i", total, "one_i"])
    future = g.op("Greater", [g.op("Unsqueeze", [k_pos, "axis_0"]), g.op("Unsqueeze", [q_pos, "axis_1"])])
    causal = g.op("Mul", [g.op("Cast", [future], to=TensorProto.FLOAT), "neg_big"])
    cross_bias = padding_bias(g, "encoder_attention_mask")

    outputs = []
    for i in range(M_LAYERS):
        p = f"dec{i}_self_"
        q = split_heads(g, linear(g, x, p + "q_w", p + "q_b"))
        k_new = split_heads(g, linear(g, x, p + "k_w", p + "k_b"))
        v_new = split_heads(g, linear(g, x, p + "v_w", p + "v_b"))
        # self-attention cache: the first step gets empty (length-0) past tensors, so one Concat serves both
        k_all = g.named("Concat", [past(i, "decoder", "key"), k_new], present(i, "decoder", "key"), axis=2)
        v_all = g.named("Concat", [past(i, "decoder", "value"), v_new], present(i, "decoder", "value"), axis=2)
        x = post_ln(g, x, attend(g, q, k_all, v_all, causal, p + "o_w", p + "o_b"), p + "ln_g", p + "ln_b")

        # cross-attention keys/values: computed from encoder_hidden_states on the first step
        # (use_cache_branch = false), taken from past_key_values.*.encoder.* afterwards, as optimum's merged
        # decoders do with an If node
        c = f"dec{i}_cross_"
        cross_kv_if(g, rng, i, c, past, present)
        cq = split_heads(g, linear(g, x, c + "q_w", c + "q_b"))
        x = post_ln(g, x, attend(g, cq, present(i, "encoder", "key"), present(i, "encoder", "value"), cross_bias, c + "o_w", c + "o_b"),
                    c + "ln_g", c + "ln_b")
        f = f"dec{i}_ffn_"
        x = post_ln(g, x, feed_forward(g, x, f), f + "ln_g", f + "ln_b")
        outputs += [present(i, "decoder", "key"), present(i, "decoder", "value"), present(i, "encoder", "key"), present(i, "encoder", "value")]

    emb_t = g.op("Transpose", ["shared_emb"], perm=[1, 0])
    g.named("Add", [g.op("MatMul", [x, emb_t]), "final_logits_bias"], "logits")

    ins, outs = merged_decoder_io(w["shared_emb"].shape[0], outputs)
    return finish(g, "tiny_marian_decoder_merged", ins, outs)


def gen_marian(out, seed, src, tgt):
    rng = np.random.default_rng([seed, 7, ord(src[0]), ord(tgt[0])])
    vocab = marian_vocab(src, tgt)
    eos_id, unk_id, pad_id = 0, 1, len(vocab) - 1
    d = os.path.join(out, "plenary-tiny", f"opus-mt-{src}-{tgt}")
    os.makedirs(os.path.join(d, "onnx"), exist_ok=True)
    write_json(os.path.join(d, "config.json"), {
        "architectures": ["MarianMTModel"], "model_type": "marian", "is_encoder_decoder": True,
        "d_model": M_D, "encoder_layers": M_LAYERS, "decoder_layers": M_LAYERS,
        "encoder_attention_heads": M_HEADS, "decoder_attention_heads": M_HEADS,
        "encoder_ffn_dim": M_FFN, "decoder_ffn_dim": M_FFN, "activation_function": "swish",
        "vocab_size": len(vocab), "decoder_vocab_size": len(vocab), "share_encoder_decoder_embeddings": True,
        "tie_word_embeddings": True, "max_position_embeddings": M_MAX_POS, "max_length": M_MAX_POS,
        "scale_embedding": True, "normalize_before": False, "static_position_embeddings": True,
        "pad_token_id": pad_id, "eos_token_id": eos_id, "decoder_start_token_id": pad_id,
        "forced_eos_token_id": eos_id, "bad_words_ids": [[pad_id]], "num_beams": 1,
        "plenary": {"note": "tiny random-weight test model generated by scripts/gen-tiny-models.py", "languages": [src, tgt]},
    })
    write_json(os.path.join(d, "generation_config.json"), {
        "bad_words_ids": [[pad_id]], "bos_token_id": eos_id, "decoder_start_token_id": pad_id,
        "eos_token_id": eos_id, "forced_eos_token_id": eos_id, "max_length": M_MAX_POS, "num_beams": 1,
        "pad_token_id": pad_id,
    })
    write_json(os.path.join(d, "tokenizer.json"), marian_tokenizer_json(vocab))
    write_json(os.path.join(d, "tokenizer_config.json"), {
        "tokenizer_class": "MarianTokenizer", "source_lang": src, "target_lang": tgt,
        "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>", "model_max_length": M_MAX_POS,
        "separate_vocabs": False, "clean_up_tokenization_spaces": False,
    })
    w = marian_weights(rng, len(vocab), pad_id, eos_id, unk_id)
    onnx.save(marian_encoder(w, rng), os.path.join(d, "onnx", "encoder_model.onnx"))
    onnx.save(marian_decoder_merged(w, rng), os.path.join(d, "onnx", "decoder_model_merged.onnx"))
    return d


# ---------------------------------------------------------------------------------------------------------
# NLLB (M2M100 architecture, model_type "m2m_100"): ONE model for every pair of its languages. transformers.js
# 3.x loads it as M2M100ForConditionalGeneration, a Seq2Seq model fed exactly like Marian (same ONNX input and
# output names and shapes: encoder input_ids, attention_mask → last_hidden_state; merged decoder with
# encoder_attention_mask, input_ids, encoder_hidden_states, past_key_values.*, use_cache_branch → logits,
# present.*; cache shapes from decoder_attention_heads and d_model, as for Marian). Its NllbTokenizer finds the
# language codes among the special tokens (/^[a-z]{3}_[A-Z][a-z]{3}$/), puts src_lang in place of the language
# token of the post-processor template `[lang] $A </s>`, and forces tgt_lang as the first generated token
# (forced_bos_token_id) after decoder_start_token_id (</s>).
#
# Real in the tiny model: the file layout, config/generation/tokenizer ids (<s> 0, <pad> 1, </s> 2, <unk> 3,
# language codes after the pieces, <mask> last), tokenizer_class NllbTokenizer with the codes as added special
# tokens and additional_special_tokens, the non-legacy template, Metaspace pre-tokenizer/decoder, and M2M100's
# computation: embeddings scaled by sqrt(d_model), sinusoidal positions in M2M100's form (sin | cos halves with
# frequencies exp(-j·log(10000)/(half-1)), counted from padding_idx + 1 over non-padding tokens, padding rows
# zero), pre-layer-norm blocks, ReLU feed-forward, final encoder and decoder layer norms, LM head tied to the
# shared embedding. Simplified: 1+1 layers, 2 heads, d_model 16; random weights (equal-norm embedding rows,
# see m2m100_weights); LayerNorm gains 1 and biases 0 (their initial values); a Unigram vocabulary of a few hundred
# English/French/German pieces (the real tokenizer.json holds ~256k SentencePiece pieces and a Precompiled
# normalizer, omitted here); 3 language codes instead of 202; and a constant logits bias that M2M100 does NOT
# have (it has no final_logits_bias): it keeps the random model from emitting </s>, <unk>, <s>, <pad>, <mask>
# or a language code by itself, so every generation runs to max_new_tokens and decodes to visible pieces
# (a forced first token still wins: transformers.js sets every other logit to -inf).

N_LANGS = ("eng_Latn", "fra_Latn", "deu_Latn")
N_WORDS_DE = "der die das und ist nicht wir sie stadt klima steuer abstimmung heute bürger"
N_MAX_POS = 1024   # max_position_embeddings and model_max_length, as in facebook/nllb-200-distilled-600M
N_PAD, N_BOS, N_EOS, N_UNK = 1, 0, 2, 3


def nllb_vocab():
    """<s> <pad> </s> <unk> (fairseq order), SentencePiece-style pieces, the language codes, <mask> last."""
    pieces = []
    seen = set()

    def add(p, score):
        if p not in seen:
            seen.add(p)
            pieces.append([p, score])

    for w in (M_WORDS["en"] + " " + M_WORDS["fr"] + " " + N_WORDS_DE).split():
        add("\u2581" + w, -6.0)
    for ch in M_CHARS + "äöüßÄÖÜ":
        add("\u2581" + ch, -9.0)
        add(ch, -10.0)
    head = [["<s>", 0.0], ["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0]]
    return head + pieces + [[c, 0.0] for c in N_LANGS] + [["<mask>", 0.0]]


def nllb_tokenizer_json(vocab):
    ids = {p: i for i, (p, _) in enumerate(vocab)}
    special = lambda t: {"id": ids[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                         "normalized": False, "special": True}
    default_src = N_LANGS[0]
    tok = lambda t: {"id": t, "ids": [ids[t]], "tokens": [t]}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [special(t) for t in ("<s>", "<pad>", "</s>", "<unk>", *N_LANGS, "<mask>")],
        "normalizer": None,
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        # non-legacy NLLB: [src_lang_code] X </s> (transformers.js replaces the language token with src_lang)
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": default_src, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": default_src, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "special_tokens": {"</s>": tok("</s>"), default_src: tok(default_src)},
        },
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "model": {"type": "Unigram", "unk_id": N_UNK, "vocab": vocab, "byte_fallback": False},
    }


def m2m100_positions(n_pos, dim, padding_idx):
    """M2M100SinusoidalPositionalEmbedding's table: padding_idx + 1 + n_pos rows, sin | cos, padding row zero."""
    half = dim // 2
    freq = np.exp(np.arange(half) * -(np.log(10000.0) / (half - 1)))
    angle = np.arange(n_pos + padding_idx + 1)[:, None] * freq[None, :]
    table = np.concatenate([np.sin(angle), np.cos(angle)], axis=1).astype(np.float32)
    table[padding_idx] = 0.0
    return table


def m2m100_weights(rng, vocab_size, blocked):
    """Random weights. Sub-layer matrices ~ N(0, 1); embedding rows are random directions of equal norm 1.2
    (4.8 after the sqrt(d_model) scale): with a pre-norm stack and a tied LM head, unequal row norms let a few
    tokens win every step, and the output would barely depend on the input."""
    w = {}
    r = lambda *shape, scale=1.0: (rng.standard_normal(shape) * scale).astype(np.float32)
    emb = r(vocab_size, M_D)
    w["shared_emb"] = (emb / np.linalg.norm(emb, axis=1, keepdims=True) * 1.2).astype(np.float32)
    w["shared_emb"][N_PAD] = 0.0
    w["pos_table"] = m2m100_positions(N_MAX_POS, M_D, N_PAD)
    seq2seq_layer_weights(w, r, final_ln=True)
    bias = np.zeros(vocab_size, np.float32)  # NOT an M2M100 parameter: see the section comment
    bias[blocked] = NEG
    w["logits_bias"] = bias
    return w


def pre_ln(g, x, gamma, beta, sublayer):
    """M2M100's pre-norm residual block: x + sublayer(LayerNorm(x))."""
    h = g.op("LayerNormalization", [x, gamma, beta], axis=-1, epsilon=1e-5)
    return g.op("Add", [x, sublayer(h)])


def relu_ffn(g, x, p):
    return linear(g, g.op("Relu", [linear(g, x, p + "fc1_w", p + "fc1_b")]), p + "fc2_w", p + "fc2_b")


def m2m100_encoder(w, rng):
    g = G(rng)
    shared_consts(g)
    g.const("pad_id", np.array(N_PAD, np.int64))
    for k in w:
        if k.startswith("enc") or k in ("shared_emb", "pos_table"):
            g.const(k, w[k])
    emb = g.op("Mul", [g.op("Gather", ["shared_emb", "input_ids"]), "emb_scale"])
    # positions: padding_idx + cumulative count of non-padding tokens; padding tokens get padding_idx (zero row)
    not_pad = g.op("Cast", [g.op("Not", [g.op("Equal", ["input_ids", "pad_id"])])], to=TensorProto.INT64)
    count = g.op("Mul", [g.op("CumSum", [not_pad, "one_i"]), not_pad])
    x = g.op("Add", [emb, g.op("Gather", ["pos_table", g.op("Add", [count, "pad_id"])])])
    bias = padding_bias(g, "attention_mask")
    for i in range(M_LAYERS):
        p = f"enc{i}_self_"

        def self_attn(h, p=p):
            q, k, v = (split_heads(g, linear(g, h, p + m + "_w", p + m + "_b")) for m in "qkv")
            return attend(g, q, k, v, bias, p + "o_w", p + "o_b")

        x = pre_ln(g, x, p + "ln_g", p + "ln_b", self_attn)
        f = f"enc{i}_ffn_"
        x = pre_ln(g, x, f + "ln_g", f + "ln_b", lambda h, f=f: relu_ffn(g, h, f))
    g.named("LayerNormalization", [x, "enc_final_ln_g", "enc_final_ln_b"], "last_hidden_state", axis=-1, epsilon=1e-5)
    ins = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch_size", "encoder_sequence_length"])
           for n in ("input_ids", "attention_mask")]
    outs = [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch_size", "encoder_sequence_length", M_D])]
    return finish(g, "tiny_m2m100_encoder", ins, outs)


def m2m100_decoder_merged(w, rng):
    g = G(rng)
    shared_consts(g)
    g.const("pos_offset", np.array(N_PAD + 1, np.int64))
    for k in w:
        if k.startswith("dec") or k in ("shared_emb", "pos_table", "logits_bias"):
            g.const(k, w[k])
    past = lambda i, kind, kv: f"past_key_values.{i}.{kind}.{kv}"
    present = lambda i, kind, kv: f"present.{i}.{kind}.{kv}"

    past_len = g.op("Gather", [g.op("Shape", [past(0, "decoder", "key")]), "two_i"])
    t = g.op("Gather", [g.op("Shape", ["input_ids"]), "one_i"])
    total = g.op("Add", [past_len, t])
    q_pos = g.op("Range", [past_len, total, "one_i"])
    emb = g.op("Mul", [g.op("Gather", ["shared_emb", "input_ids"]), "emb_scale"])
    # decoder inputs hold no padding (</s>, the forced language code, generated pieces): positions are
    # padding_idx + 1 + (past_len + [0, t)), as M2M100 computes them
    x = g.op("Add", [emb, g.op("Gather", ["pos_table", g.op("Add", [q_pos, "pos_offset"])])])
    k_pos = g.op("Range", ["zero_i", total, "one_i"])
    future = g.op("Greater", [g.op("Unsqueeze", [k_pos, "axis_0"]), g.op("Unsqueeze", [q_pos, "axis_1"])])
    causal = g.op("Mul", [g.op("Cast", [future], to=TensorProto.FLOAT), "neg_big"])
    cross_bias = padding_bias(g, "encoder_attention_mask")

    outputs = []
    for i in range(M_LAYERS):
        p = f"dec{i}_self_"

        def self_attn(h, i=i, p=p):
            q = split_heads(g, linear(g, h, p + "q_w", p + "q_b"))
            k_new = split_heads(g, linear(g, h, p + "k_w", p + "k_b"))
            v_new = split_heads(g, linear(g, h, p + "v_w", p + "v_b"))
            k_all = g.named("Concat", [past(i, "decoder", "key"), k_new], present(i, "decoder", "key"), axis=2)
            v_all = g.named("Concat", [past(i, "decoder", "value"), v_new], present(i, "decoder", "value"), axis=2)
            return attend(g, q, k_all, v_all, causal, p + "o_w", p + "o_b")

        x = pre_ln(g, x, p + "ln_g", p + "ln_b", self_attn)

        c = f"dec{i}_cross_"
        cross_kv_if(g, rng, i, c, past, present)

        def cross_attn(h, i=i, c=c):
            cq = split_heads(g, linear(g, h, c + "q_w", c + "q_b"))
            return attend(g, cq, present(i, "encoder", "key"), present(i, "encoder", "value"), cross_bias, c + "o_w", c + "o_b")

        x = pre_ln(g, x, c + "ln_g", c + "ln_b", cross_attn)
        f = f"dec{i}_ffn_"
        x = pre_ln(g, x, f + "ln_g", f + "ln_b", lambda h, f=f: relu_ffn(g, h, f))
        outputs += [present(i, "decoder", "key"), present(i, "decoder", "value"), present(i, "encoder", "key"), present(i, "encoder", "value")]

    x = g.op("LayerNormalization", [x, "dec_final_ln_g", "dec_final_ln_b"], axis=-1, epsilon=1e-5)
    emb_t = g.op("Transpose", ["shared_emb"], perm=[1, 0])
    g.named("Add", [g.op("MatMul", [x, emb_t]), "logits_bias"], "logits")

    ins, outs = merged_decoder_io(w["shared_emb"].shape[0], outputs)
    return finish(g, "tiny_m2m100_decoder_merged", ins, outs)


def gen_nllb(out, seed):
    rng = np.random.default_rng([seed, 11])
    vocab = nllb_vocab()
    ids = {p: i for i, (p, _) in enumerate(vocab)}
    d = os.path.join(out, "plenary-tiny", "nllb-tiny")
    os.makedirs(os.path.join(d, "onnx"), exist_ok=True)
    write_json(os.path.join(d, "config.json"), {
        "architectures": ["M2M100ForConditionalGeneration"], "model_type": "m2m_100", "is_encoder_decoder": True,
        "d_model": M_D, "encoder_layers": M_LAYERS, "decoder_layers": M_LAYERS, "num_hidden_layers": M_LAYERS,
        "encoder_attention_heads": M_HEADS, "decoder_attention_heads": M_HEADS,
        "encoder_ffn_dim": M_FFN, "decoder_ffn_dim": M_FFN, "activation_function": "relu",
        "vocab_size": len(vocab), "max_position_embeddings": N_MAX_POS, "max_length": 200, "scale_embedding": True,
        "tie_word_embeddings": True, "use_cache": True, "tokenizer_class": "NllbTokenizer",
        "bos_token_id": N_BOS, "pad_token_id": N_PAD, "eos_token_id": N_EOS, "decoder_start_token_id": N_EOS,
        "plenary": {"note": "tiny random-weight test model generated by scripts/gen-tiny-models.py",
                    "languages": list(N_LANGS)},
    })
    write_json(os.path.join(d, "generation_config.json"), {
        "bos_token_id": N_BOS, "decoder_start_token_id": N_EOS, "eos_token_id": N_EOS, "max_length": 200,
        "pad_token_id": N_PAD,
    })
    write_json(os.path.join(d, "tokenizer.json"), nllb_tokenizer_json(vocab))
    write_json(os.path.join(d, "tokenizer_config.json"), {
        "tokenizer_class": "NllbTokenizer", "src_lang": N_LANGS[0], "tgt_lang": None, "legacy_behaviour": False,
        "additional_special_tokens": list(N_LANGS), "bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>",
        "cls_token": "<s>", "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>",
        "model_max_length": N_MAX_POS, "clean_up_tokenization_spaces": True,
    })
    blocked = [ids[t] for t in ("<s>", "<pad>", "</s>", "<unk>", *N_LANGS, "<mask>")]
    w = m2m100_weights(rng, len(vocab), blocked)
    onnx.save(m2m100_encoder(w, rng), os.path.join(d, "onnx", "encoder_model.onnx"))
    onnx.save(m2m100_decoder_merged(w, rng), os.path.join(d, "onnx", "decoder_model_merged.onnx"))
    return d


# ---------------------------------------------------------------------------------------------------------
# GPT-2 (model_type "gpt2"): a decoder-only causal LM, the layout transformers.js 3.x loads for text-generation
# (AutoModelForCausalLM → GPT2LMHeadModel, MODEL_TYPES.DecoderOnly): ONE session, onnx/model.onnx (or
# model_quantized.onnx for dtype q8), fed by decoderForward as optimum exports it "with past":
#   input_ids        int64 [batch, sequence_length]
#   attention_mask   int64 [batch, past_sequence_length + sequence_length]
#   position_ids     int64 [batch, sequence_length]  (transformers.js computes cumsum(mask) - 1 when the session has it)
#   past_key_values.{i}.key / .value  float32 [batch, n_head, past_sequence_length, n_embd / n_head]
#     (the first step gets length-0 tensors: getKeyValueShapes with num_heads = n_head, hidden_size = n_embd)
#   → logits float32 [batch, sequence_length, vocab], present.{i}.key / .value [batch, n_head, past + seq, head_dim]
# The tokenizer is a byte-level BPE tokenizer.json (tokenizers' BPE model, ByteLevel pre-tokenizer, post-processor
# and decoder, <|endoftext|> as the one added token) with tokenizer_class GPT2Tokenizer.
#
# Real in the tiny model: the file layout and names; config.json fields transformers.js reads for gpt2 (n_layer,
# n_head, n_embd, n_positions, vocab_size, bos/eos ids); the KV-cache contract above (one graph serves the first
# step with empty past tensors and every later step); GPT-2's computation: token + learned position embeddings,
# pre-layer-norm blocks (ln_1 → fused c_attn q|k|v projection → causal self-attention over past + new keys with
# the padding mask → c_proj; ln_2 → c_fc → gelu_new (tanh approximation) → c_proj), final ln_f, LM head tied to
# the token embedding; and a genuine byte-level BPE: GPT-2's bytes→unicode table (every byte is a token, so any
# text tokenises) plus merges learnt here by plain BPE on a few hundred words of English/French civic vocabulary.
# Simplified: 1 layer, 2 heads, n_embd 16, n_positions 128, a vocabulary of ~400 (the real one has 50,257);
# random weights (token embedding rows are random directions of equal norm, as for the NLLB model above, so that
# the output depends on the input); LayerNorm gains 1 and biases 0; and a constant logits bias that GPT-2 does NOT
# have: it keeps the random model from emitting <|endoftext|> (so every generation runs to max_new_tokens and
# tests can see that the limit is honoured) or a token that is not printable text by itself (control bytes, a lone
# byte of a multi-byte character: see gpt2_blocked). Greedy output is therefore deterministic garbage text.

GPT_D = M_D          # n_embd (the shared attention helpers above are built for M_D / M_HEADS)
GPT_HEADS = M_HEADS  # n_head
GPT_FFN = 4 * GPT_D  # GPT-2's inner size default (4 * n_embd)
GPT_POS = 128        # n_positions = n_ctx = tokenizer model_max_length
GPT_LAYERS = 1
GPT_MERGES = 150
GPT_EOS = "<|endoftext|>"
GPT_CORPUS = (
    M_WORDS["en"] + " " + M_WORDS["fr"] + " "
    "The citizens' assembly votes on the climate proposal today. La ville vote la proposition sur le climat. "
    "We agree with the carbon tax. Nous sommes d'accord avec la taxe carbone. Public transport for the people "
    "of the city and the town. Les citoyens de l'assemblée votent aujourd'hui. 2024 2025 100 50."
)


def bytes_to_unicode():
    """GPT-2's byte → printable character table: printable Latin-1 bytes map to themselves, the others (control
    characters, space, ...) to U+0100 upwards in byte order. Spaces become 'Ġ' (U+0120)."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    table, extra = {}, 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def gpt2_pretokenize(text):
    """Words as GPT-2's ByteLevel pre-tokenizer splits them (letters / digits / other runs, each with the space
    before it), in Python's re: contractions, ' ?letters', ' ?digits', ' ?other', whitespace."""
    import re
    return re.findall(r"'(?:s|t|re|ve|m|ll|d)| ?[^\W\d_]+| ?\d+| ?[^\s\w]+|\s+(?!\S)|\s+", text)


def gpt2_bpe():
    """Byte-level BPE learnt on GPT_CORPUS: the 256 byte symbols in byte order, then GPT_MERGES merges (most
    frequent adjacent pair first; ties broken by the pair itself, so the result is deterministic)."""
    b2u = bytes_to_unicode()
    counts = {}
    for w in gpt2_pretokenize(GPT_CORPUS):
        sym = tuple(b2u[b] for b in w.encode("utf-8"))
        counts[sym] = counts.get(sym, 0) + 1
    vocab = [b2u[b] for b in range(256)]
    merges = []
    for _ in range(GPT_MERGES):
        pairs = {}
        for sym, c in counts.items():
            for a, b in zip(sym, sym[1:]):
                pairs[(a, b)] = pairs.get((a, b), 0) + c
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        vocab.append(best[0] + best[1])
        merged = {}
        for sym, c in counts.items():
            out, i = [], 0
            while i < len(sym):
                if i + 1 < len(sym) and (sym[i], sym[i + 1]) == best:
                    out.append(sym[i] + sym[i + 1])
                    i += 2
                else:
                    out.append(sym[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + c
        counts = merged
    return vocab + [GPT_EOS], merges


def gpt2_tokenizer_json(vocab, merges):
    ids = {t: i for i, t in enumerate(vocab)}
    byte_level = lambda prefix_space, trim: {"type": "ByteLevel", "add_prefix_space": prefix_space, "trim_offsets": trim, "use_regex": True}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": ids[GPT_EOS], "content": GPT_EOS, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": True, "special": True}],
        "normalizer": None,
        "pre_tokenizer": byte_level(False, True),
        "post_processor": byte_level(True, False),
        "decoder": byte_level(True, True),
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "", "end_of_word_suffix": "",
                  "fuse_unk": False, "byte_fallback": False, "vocab": ids, "merges": [f"{a} {b}" for a, b in merges]},
    }


def gpt2_blocked(vocab):
    """Token ids the tiny model is kept from generating: <|endoftext|>, and every token whose bytes are not
    printable text on their own (control bytes, a lone byte of a multi-byte UTF-8 character), so that any
    generated sequence decodes to visible text and a shorter generation decodes to a prefix of a longer one."""
    u2b = {u: b for b, u in bytes_to_unicode().items()}
    blocked = []
    for i, tok in enumerate(vocab):
        if tok == GPT_EOS:
            blocked.append(i)
            continue
        raw = bytes(u2b[c] for c in tok)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            blocked.append(i)
            continue
        if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
            blocked.append(i)
    return blocked


def gpt2_weights(rng, vocab_size, blocked):
    w = {}
    r = lambda *shape, scale=1.0: (rng.standard_normal(shape) * scale).astype(np.float32)
    emb = r(vocab_size, GPT_D)
    w["wte"] = (emb / np.linalg.norm(emb, axis=1, keepdims=True) * 3.0).astype(np.float32)
    w["wpe"] = r(GPT_POS, GPT_D, scale=0.5)
    for i in range(GPT_LAYERS):
        p = f"h{i}_"
        w[p + "ln1_g"], w[p + "ln1_b"] = np.ones(GPT_D, np.float32), np.zeros(GPT_D, np.float32)
        w[p + "attn_w"], w[p + "attn_b"] = r(GPT_D, 3 * GPT_D), r(3 * GPT_D, scale=0.05)  # c_attn: q | k | v
        w[p + "attn_proj_w"], w[p + "attn_proj_b"] = r(GPT_D, GPT_D, scale=0.5), r(GPT_D, scale=0.05)
        w[p + "ln2_g"], w[p + "ln2_b"] = np.ones(GPT_D, np.float32), np.zeros(GPT_D, np.float32)
        w[p + "fc_w"], w[p + "fc_b"] = r(GPT_D, GPT_FFN), r(GPT_FFN, scale=0.05)
        w[p + "mlp_proj_w"], w[p + "mlp_proj_b"] = r(GPT_FFN, GPT_D, scale=0.5), r(GPT_D, scale=0.05)
    w["lnf_g"], w["lnf_b"] = np.ones(GPT_D, np.float32), np.zeros(GPT_D, np.float32)
    bias = np.zeros(vocab_size, np.float32)  # NOT a GPT-2 parameter: see the section comment
    bias[blocked] = NEG
    w["logits_bias"] = bias
    return w


def gelu_new(g, x):
    """0.5 · x · (1 + tanh(sqrt(2/π) · (x + 0.044715 · x³))): GPT-2's activation (ONNX has Gelu only from opset 20)."""
    x3 = g.op("Mul", [g.op("Mul", [x, x]), x])
    inner = g.op("Mul", [g.op("Add", [x, g.op("Mul", [x3, "gelu_c"])]), "gelu_k"])
    return g.op("Mul", [g.op("Mul", [x, "half_f"]), g.op("Add", ["one_f", g.op("Tanh", [inner])])])


def gpt2_graph(w, rng):
    g = G(rng)
    shared_consts(g)
    g.const("gelu_c", np.array(0.044715, np.float32))
    g.const("gelu_k", np.array(np.sqrt(2.0 / np.pi), np.float32))
    g.const("half_f", np.array(0.5, np.float32))
    g.const("qkv_split", np.array([GPT_D, GPT_D, GPT_D], np.int64))
    for k in w:
        g.const(k, w[k])
    past = lambda i, kv: f"past_key_values.{i}.{kv}"
    present = lambda i, kv: f"present.{i}.{kv}"

    x = g.op("Add", [g.op("Gather", ["wte", "input_ids"]), g.op("Gather", ["wpe", "position_ids"])])
    # causal bias [t, past_len + t] (a query at sequence index past_len + j sees keys at indices <= it) plus the
    # padding bias from attention_mask [b, past_len + t]
    past_len = g.op("Gather", [g.op("Shape", [past(0, "key")]), "two_i"])
    t = g.op("Gather", [g.op("Shape", ["input_ids"]), "one_i"])
    total = g.op("Add", [past_len, t])
    q_pos = g.op("Range", [past_len, total, "one_i"])
    k_pos = g.op("Range", ["zero_i", total, "one_i"])
    future = g.op("Greater", [g.op("Unsqueeze", [k_pos, "axis_0"]), g.op("Unsqueeze", [q_pos, "axis_1"])])
    causal = g.op("Mul", [g.op("Cast", [future], to=TensorProto.FLOAT), "neg_big"])
    bias = g.op("Add", [causal, padding_bias(g, "attention_mask")])

    outputs = []
    for i in range(GPT_LAYERS):
        p = f"h{i}_"

        def self_attn(h, i=i, p=p):
            q, k, v = g.op("Split", [linear(g, h, p + "attn_w", p + "attn_b"), "qkv_split"], n_out=3, axis=-1)
            k_all = g.named("Concat", [past(i, "key"), split_heads(g, k)], present(i, "key"), axis=2)
            v_all = g.named("Concat", [past(i, "value"), split_heads(g, v)], present(i, "value"), axis=2)
            return attend(g, split_heads(g, q), k_all, v_all, bias, p + "attn_proj_w", p + "attn_proj_b")

        x = pre_ln(g, x, p + "ln1_g", p + "ln1_b", self_attn)
        x = pre_ln(g, x, p + "ln2_g", p + "ln2_b",
                   lambda h, p=p: linear(g, gelu_new(g, linear(g, h, p + "fc_w", p + "fc_b")), p + "mlp_proj_w", p + "mlp_proj_b"))
        outputs += [present(i, "key"), present(i, "value")]
    x = g.op("LayerNormalization", [x, "lnf_g", "lnf_b"], axis=-1, epsilon=1e-5)
    g.named("Add", [g.op("MatMul", [x, g.op("Transpose", ["wte"], perm=[1, 0])]), "logits_bias"], "logits")

    vocab_size = w["wte"].shape[0]
    ins = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"]),
        helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch_size", "past_sequence_length + sequence_length"]),
        helper.make_tensor_value_info("position_ids", TensorProto.INT64, ["batch_size", "sequence_length"]),
    ]
    for i in range(GPT_LAYERS):
        for kv in ("key", "value"):
            ins.append(helper.make_tensor_value_info(past(i, kv), TensorProto.FLOAT, ["batch_size", GPT_HEADS, "past_sequence_length", GPT_D // GPT_HEADS]))
    outs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch_size", "sequence_length", vocab_size])]
    for n in outputs:
        outs.append(helper.make_tensor_value_info(n, TensorProto.FLOAT, ["batch_size", GPT_HEADS, "past_sequence_length + sequence_length", GPT_D // GPT_HEADS]))
    return finish(g, "tiny_gpt2_with_past", ins, outs)


def gen_gpt2(out, seed):
    rng = np.random.default_rng([seed, 13])
    vocab, merges = gpt2_bpe()
    eos = len(vocab) - 1
    d = os.path.join(out, "plenary-tiny", "gpt2-tiny")
    os.makedirs(os.path.join(d, "onnx"), exist_ok=True)
    write_json(os.path.join(d, "config.json"), {
        "architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "n_layer": GPT_LAYERS, "n_head": GPT_HEADS,
        "n_embd": GPT_D, "n_inner": GPT_FFN, "n_positions": GPT_POS, "n_ctx": GPT_POS, "vocab_size": len(vocab),
        "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5, "tie_word_embeddings": True, "use_cache": True,
        "bos_token_id": eos, "eos_token_id": eos,
        "plenary": {"note": "tiny random-weight test model generated by scripts/gen-tiny-models.py", "languages": ["en", "fr"]},
    })
    write_json(os.path.join(d, "generation_config.json"), {"bos_token_id": eos, "eos_token_id": eos, "_from_model_config": True})
    write_json(os.path.join(d, "tokenizer.json"), gpt2_tokenizer_json(vocab, merges))
    write_json(os.path.join(d, "tokenizer_config.json"), {
        "tokenizer_class": "GPT2Tokenizer", "model_max_length": GPT_POS, "bos_token": GPT_EOS, "eos_token": GPT_EOS,
        "unk_token": GPT_EOS, "add_prefix_space": False, "clean_up_tokenization_spaces": True,
    })
    onnx.save(gpt2_graph(gpt2_weights(rng, len(vocab), gpt2_blocked(vocab)), rng), os.path.join(d, "onnx", "model.onnx"))
    return d


GENERATORS = {
    "bert": lambda out, seed: gen_bert(out, seed),
    "marian": lambda out, seed: [gen_marian(out, seed, "fr", "en"), gen_marian(out, seed, "en", "fr")],
}
# opt-in (--only nllb, --only gpt2): not in the default set, which the Marian tests read as "the translation models present"
OPT_IN = {
    "nllb": lambda out, seed: gen_nllb(out, seed),
    "gpt2": lambda out, seed: gen_gpt2(out, seed),
}


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = argv[1]
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 0
    only = argv[argv.index("--only") + 1].split(",") if "--only" in argv else list(GENERATORS)
    known = {**GENERATORS, **OPT_IN}
    unknown = [k for k in only if k not in known]
    if unknown:
        print(f"unknown model kind(s): {', '.join(unknown)}; known: {', '.join(known)}", file=sys.stderr)
        return 2
    paths = []
    for kind in only:
        made = known[kind](out, seed)
        paths += made if isinstance(made, list) else [made]
    for p in paths:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
