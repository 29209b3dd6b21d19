#!/usr/bin/env python3
"""Small fixtures in the formats researchers download, for the README's "From downloads to a real run"
walk-through (not used by the tests, which build their own in Java):

  bert-base-uncased/   config.json, vocab.txt, pytorch_model.bin: a BertForPreTraining state dict at
                       bert-base size under the names of Google's conversion on the Hub (LayerNorm.gamma/beta,
                       cls.* heads), random N(0, 0.02) weights
  vgg16-397923af.pth   torchvision's VGG16 state dict (features.N, classifier.N), legacy torch.save format as
                       the 2017 file, random weights
  coco/annotations/captions_{train,val}2017.json, coco/{train,val}2017/%012d.jpg, coco/dataset_coco.json
                       (Karpathy's split file: 2014 file names, cocoid, splits train/restval/val/test)
  vg/image_data.json, objects.json, relationships.json, attributes.json, vg/VG_100K/<id>.jpg
                       (Visual Genome v1.4; some images carry the coco_id of a Karpathy test image)

The images and captions come from `gw data synth` (coloured shapes): SYNTH is its output folder.
Usage: /usr/bin/python3 make_fixtures.py SYNTH OUT [--vocab shared/data/bert-base-uncased-vocab.txt]
Needs PyTorch (any CPU build); writes about 1 GB, mostly the two weight files.
"""
import argparse
import json
import os
import random
import shutil

import torch


def bert_base(out, vocab):
    os.makedirs(out, exist_ok=True)
    shutil.copy(vocab, os.path.join(out, "vocab.txt"))
    n_vocab = sum(1 for _ in open(vocab, encoding="utf-8"))
    cfg = {"architectures": ["BertForMaskedLM"], "attention_probs_dropout_prob": 0.1, "hidden_act": "gelu",
           "hidden_dropout_prob": 0.1, "hidden_size": 768, "initializer_range": 0.02, "intermediate_size": 3072,
           "layer_norm_eps": 1e-12, "max_position_embeddings": 512, "model_type": "bert", "num_attention_heads": 12,
           "num_hidden_layers": 12, "pad_token_id": 0, "type_vocab_size": 2, "vocab_size": n_vocab}
    json.dump(cfg, open(os.path.join(out, "config.json"), "w"), indent=2)
    g = torch.Generator().manual_seed(0)
    sd = {}

    def lin(name, o, i):
        sd[name + ".weight"] = torch.randn(o, i, generator=g) * 0.02
        sd[name + ".bias"] = torch.zeros(o)

    def ln(name):
        sd[name + ".gamma"] = torch.ones(768)
        sd[name + ".beta"] = torch.zeros(768)

    sd["bert.embeddings.word_embeddings.weight"] = torch.randn(n_vocab, 768, generator=g) * 0.02
    sd["bert.embeddings.position_embeddings.weight"] = torch.randn(512, 768, generator=g) * 0.02
    sd["bert.embeddings.token_type_embeddings.weight"] = torch.randn(2, 768, generator=g) * 0.02
    ln("bert.embeddings.LayerNorm")
    for l in range(12):
        p = "bert.encoder.layer.%d." % l
        for q in ("query", "key", "value"):
            lin(p + "attention.self." + q, 768, 768)
        lin(p + "attention.output.dense", 768, 768)
        ln(p + "attention.output.LayerNorm")
        lin(p + "intermediate.dense", 3072, 768)
        lin(p + "output.dense", 768, 3072)
        ln(p + "output.LayerNorm")
    lin("bert.pooler.dense", 768, 768)
    lin("cls.predictions.transform.dense", 768, 768)
    ln("cls.predictions.transform.LayerNorm")
    sd["cls.predictions.bias"] = torch.zeros(n_vocab)
    sd["cls.predictions.decoder.weight"] = sd["bert.embeddings.word_embeddings.weight"]   # tied, as saved
    lin("cls.seq_relationship", 2, 768)
    torch.save(sd, os.path.join(out, "pytorch_model.bin"))


def vgg16(path):
    g = torch.Generator().manual_seed(1)
    cfg = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
    sd, i, c = {}, 0, 3
    for v in cfg:
        if v == "M":
            i += 1
            continue
        sd["features.%d.weight" % i] = torch.randn(v, c, 3, 3, generator=g) * (2.0 / (9 * c)) ** 0.5
        sd["features.%d.bias" % i] = torch.zeros(v)
        c, i = v, i + 2   # conv, ReLU
    for k, (o, n) in zip((0, 3, 6), ((4096, 25088), (4096, 4096), (1000, 4096))):
        sd["classifier.%d.weight" % k] = torch.randn(o, n, generator=g) * 0.01
        sd["classifier.%d.bias" % k] = torch.zeros(o)
    torch.save(sd, path, _use_new_zipfile_serialization=False)


def coco(synth, out, rnd):
    ks = json.load(open(os.path.join(synth, "dataset_coco.json")))
    images = ks["images"]
    for d in ("annotations", "train2017", "val2017"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    ann = {"train2017": {"images": [], "annotations": []}, "val2017": {"images": [], "annotations": []}}
    karpathy, sent = [], 0
    for k, im in enumerate(images):
        cocoid = 100000 + 7 * k
        # Karpathy's test/val come from COCO val2014, which 2017 splits between train2017 and val2017.
        release = "val2017" if im["split"] in ("val", "test") and k % 3 else "train2017"
        shutil.copy(os.path.join(synth, im["filepath"], im["filename"]), os.path.join(out, release, "%012d.jpg" % cocoid))
        caps = [s["raw"] for s in im["sentences"]]
        ann[release]["images"].append({"license": 1, "file_name": "%012d.jpg" % cocoid, "coco_url": "", "height": 48, "width": 48,
                                       "date_captured": "2013-11-14 17:02:52", "flickr_url": "", "id": cocoid})
        for c in caps:
            ann[release]["annotations"].append({"image_id": cocoid, "id": 500000 + sent, "caption": c})
            sent += 1
        fp = "val2014" if im["split"] in ("val", "test", "restval") else "train2014"
        karpathy.append({"filepath": fp, "sentids": list(range(sent - len(caps), sent)), "filename": "COCO_%s_%012d.jpg" % (fp, cocoid),
                         "imgid": k, "split": im["split"], "cocoid": cocoid,
                         "sentences": [{"tokens": c.lower().strip(".").split(), "raw": c, "imgid": k, "sentid": sent - len(caps) + j}
                                       for j, c in enumerate(caps)]})
    for release, a in ann.items():
        a.update({"info": {"description": "COCO 2017 Dataset", "version": "1.0", "year": 2017},
                  "licenses": [{"url": "", "id": 1, "name": "Attribution-NonCommercial-ShareAlike License"}]})
        json.dump(a, open(os.path.join(out, "annotations", "captions_%s.json" % release), "w"))
    json.dump({"images": karpathy, "dataset": "coco"}, open(os.path.join(out, "dataset_coco.json"), "w"))
    return [im["cocoid"] for im in karpathy if im["split"] == "test"], [os.path.join(synth, im["filepath"], im["filename"]) for im in images]


def visual_genome(out, test_cocoids, pictures, rnd):
    os.makedirs(os.path.join(out, "VG_100K"), exist_ok=True)
    names = [("man", "man.n.01"), ("shirt", "shirt.n.01"), ("street", "street.n.01"), ("dog", "dog.n.01"), ("tree", "tree.n.01"),
             ("car", "car.n.01"), ("hat", "hat.n.01"), ("table", "table.n.01")]
    preds = [("on", "on.r.01"), ("wearing", "wear.v.01"), ("has", "have.v.01"), ("near", "near.r.01"), ("behind", "behind.r.01")]
    colours = ["red", "white", "blue", "green", "tall", "small"]
    image_data, rels, attrs, objs, oid, rid = [], [], [], [], 1000, 5000
    n = min(len(pictures), 60)
    for i in range(1, n + 1):
        coco_id = test_cocoids[i % len(test_cocoids)] if i % 6 == 0 else (None if i % 2 else 900000 + i)
        shutil.copy(pictures[i - 1], os.path.join(out, "VG_100K", "%d.jpg" % i))
        image_data.append({"width": 48, "url": "https://cs.stanford.edu/people/rak248/VG_100K/%d.jpg" % i, "height": 48,
                           "image_id": i, "coco_id": coco_id, "flickr_id": None})
        objects = []
        for _ in range(rnd.randint(3, 6)):
            name, syn = rnd.choice(names)
            objects.append({"object_id": oid, "x": rnd.randint(0, 30), "y": rnd.randint(0, 30), "w": 10, "h": 10, "names": [name], "synsets": [syn]})
            oid += 1
        rs = []
        for _ in range(rnd.randint(2, 6)):
            s, o = rnd.sample(objects, 2)
            p, psyn = rnd.choice(preds)
            end = lambda x: {k: x[k] for k in ("object_id", "x", "y", "w", "h", "synsets")} | {"name": x["names"][0]}
            rs.append({"predicate": p, "relationship_id": rid, "synsets": [psyn], "subject": end(s), "object": end(o)})
            rid += 1
        rels.append({"relationships": rs, "image_id": i})
        objs.append({"image_id": i, "objects": objects, "image_url": image_data[-1]["url"]})
        attrs.append({"image_id": i, "attributes": [dict(o, attributes=[rnd.choice(colours)]) for o in objects if rnd.random() < 0.6]})
    for name, data in (("image_data", image_data), ("relationships", rels), ("attributes", attrs), ("objects", objs)):
        json.dump(data, open(os.path.join(out, name + ".json"), "w"))


def main():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("synth")
    a.add_argument("out")
    a.add_argument("--vocab", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "bert-base-uncased-vocab.txt"))
    a.add_argument("--no-weights", action="store_true", help="only the data (the weight files are about 1 GB)")
    args = a.parse_args()
    rnd = random.Random(0)
    test_ids, pictures = coco(args.synth, os.path.join(args.out, "coco"), rnd)
    visual_genome(os.path.join(args.out, "vg"), test_ids, pictures, rnd)
    if not args.no_weights:
        bert_base(os.path.join(args.out, "bert-base-uncased"), args.vocab)
        vgg16(os.path.join(args.out, "vgg16-397923af.pth"))
    print("fixtures in", args.out)


if __name__ == "__main__":
    main()
