"""More semantic-evaluation golden cases in the format of ../shared/golden/eval (golden/README.md), made with
scikit-learn and SciPy in float64: other sizes, fewer rows than dimensions, k = D, the euclidean metric, a
label of one row, duplicate and zero rows, labels that are not 0..K-1. Written to
models/src/test/resources/golden-extra/eval, which EvalGoldenExtraTest runs through the same harness.
Run from the repository root: /usr/bin/python3 models/src/test/python/make_eval_cases.py (needs numpy, scipy, sklearn)."""
import json, os, struct, zlib
import numpy as np
from scipy.stats import pearsonr
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_samples

OUT = 'models/src/test/resources/golden-extra/eval'


def save(path, tensors):
    header, blobs, off = {}, [], 0
    for name, a in tensors.items():
        a = np.ascontiguousarray(a)
        dt = {np.float32: 'F32', np.int64: 'I64'}[a.dtype.type]
        b = a.tobytes()
        header[name] = {'dtype': dt, 'shape': list(a.shape), 'data_offsets': [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))


def case(name, kind, config, outputs, compare, inputs, expected, description):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    probes = {'probe.' + o: rng.standard_normal(np.shape(expected[o])).astype(np.float32) for o in outputs}
    save(os.path.join(d, 'inputs.safetensors'), {**inputs, **probes})
    save(os.path.join(d, 'expected.safetensors'), {'out.' + o: np.asarray(expected[o], dtype=np.float32) for o in outputs})
    json.dump({'kind': kind, 'config': config, 'description': description, 'outputs': outputs, 'grads': [],
               'tolerance': {'outputs_rel_l2': 1e-4, 'grads_rel_l2': 0.0}, 'compare': compare},
              open(os.path.join(d, 'case.json'), 'w'), indent=2)


def pca_case(name, n, d, k, seed):
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal((n, d)) * np.linspace(3, 0.2, d)).astype(np.float32)
    p = PCA(n_components=k, svd_solver='full').fit(x.astype(np.float64))
    case(name, 'pca', {'n_components': k}, ['scores', 'components', 'explained_variance_ratio'],
         {'scores': 'per column up to sign (the column\'s sign is free, and components flip with it)',
          'components': 'per row up to sign, the same sign as the scores\' column', 'explained_variance_ratio': 'as is'},
         {'x': x}, {'scores': p.transform(x.astype(np.float64)), 'components': p.components_,
                    'explained_variance_ratio': p.explained_variance_ratio_}, f'PCA {n}x{d}, k={k}')


def silhouette_case(name, x, labels, metric):
    s = silhouette_samples(x.astype(np.float64), labels, metric=metric)
    uniq = np.unique(labels)
    case(name, 'silhouette', {'metric': metric}, ['samples', 'per_label_mean'], {'samples': 'as is', 'per_label_mean': 'as is'},
         {'x': x, 'labels': labels.astype(np.int64)}, {'samples': s, 'per_label_mean': np.array([s[labels == u].mean() for u in uniq])},
         f'silhouette_samples, metric {metric}, labels {list(uniq)[:5]}...')


def concreteness_case(name, n, d, k, seed):
    rng = np.random.default_rng(seed)
    sizes = rng.multinomial(n - 2 * k, np.ones(k) / k) + 2
    conc = rng.uniform(1.2, 5.0, n)
    emb = rng.standard_normal((n, d)) + np.outer(conc - 3, rng.standard_normal(d))
    emb, conc = emb.astype(np.float32), conc.astype(np.float32)
    sel = (rng.uniform(size=n) > 0.15).astype(np.int64)
    for c, start in enumerate(np.concatenate([[0], np.cumsum(sizes)[:-1]])):
        sel[start] = 1                          # every category keeps a selected word
    pc1 = PCA(n_components=1, svd_solver='full').fit_transform(emb.astype(np.float64))[:, 0]
    m = sel > 0
    r_word = pearsonr(pc1[m], conc[m].astype(np.float64))[0]
    if r_word < 0:
        pc1, r_word = -pc1, -r_word
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    mp = np.array([pc1[bounds[c]:bounds[c + 1]][m[bounds[c]:bounds[c + 1]]].mean() for c in range(k)])
    mc = np.array([conc[bounds[c]:bounds[c + 1]][m[bounds[c]:bounds[c + 1]]].astype(np.float64).mean() for c in range(k)])
    case(name, 'concreteness_pc1', {'orient': 'pc1 sign such that r_word >= 0'},
         ['r_word', 'r_category', 'category_mean_pc1', 'category_mean_concreteness'],
         {o: 'as is' for o in ['r_word', 'r_category', 'category_mean_pc1', 'category_mean_concreteness']},
         {'embeddings': emb, 'concreteness': conc, 'category_sizes': sizes.astype(np.int64), 'selected': sel},
         {'r_word': [r_word], 'r_category': [pearsonr(mp, mc)[0]], 'category_mean_pc1': mp, 'category_mean_concreteness': mc},
         f'concreteness {n}x{d}, {k} categories')


pca_case('eval_pca_50x80_k10', 50, 80, 10, 1)
pca_case('eval_pca_200x6_k6', 200, 6, 6, 2)
rng = np.random.default_rng(3)
centres = rng.standard_normal((6, 12)) * 3
labels = np.repeat(np.arange(6), [60, 50, 40, 49, 50, 1])
x = (centres[labels] + rng.standard_normal((250, 12))).astype(np.float32)
x[10] = x[11]                                   # a duplicate row
silhouette_case('eval_silhouette_euclidean_250x12_K6', x, labels, 'euclidean')
y = (centres[labels] + rng.standard_normal((250, 12))).astype(np.float32)
y[5] = 0                                        # a zero row (cosine 0 with everything)
silhouette_case('eval_silhouette_cosine_250x12_labels', y, np.array([3, 7, 10, 11, 20, 42])[labels], 'cosine')
concreteness_case('eval_concreteness_600x20_K15', 600, 20, 15, 4)
