"""Clustering of a window's spike snippets into candidate units (steps 2–3 of the sorting).

2. **Features**: the first three principal components of the snippets scaled to unit peak
   (shape, width and polarity) and the log peak-to-peak amplitude
   (:func:`snippet_features`).
3. **Clusters**: a Gaussian mixture (scikit-learn ``GaussianMixture``, full covariances) with
   the number of components chosen by the Bayesian information criterion (:func:`gmm_bic`).
   Chosen over HDBSCAN because a unit whose amplitude wanes by 3–5× (docs: domain reference,
   discharges) forms an elongated, not a dense, cloud: HDBSCAN labels its sparse low-amplitude
   end as noise, whereas the mixture keeps every spike and over-splitting is undone by the
   merge step of :mod:`myoemg.detect.sorting`; BIC also gives an explicit model-size
   criterion, and fitting a few hundred 4-D points costs milliseconds.
"""

from __future__ import annotations

import functools

import numpy as np


def snippet_features(snips):
    """First three principal components of the peak-normalised snippets, and log peak-to-peak.

    PCA by a thin SVD of the centred snippets (numpy; the same components as scikit-learn's
    ``PCA``, without its import and per-call overhead).
    """
    peak = np.abs(snips).max(axis=1, keepdims=True)
    shape = snips / np.maximum(peak, np.finfo(float).tiny)
    n_comp = int(min(3, shape.shape[0] - 1, shape.shape[1]))
    centred = shape - shape.mean(axis=0)
    u, sv, _ = np.linalg.svd(centred, full_matrices=False)
    pcs = u[:, :n_comp] * sv[:n_comp]
    logpp = np.log(np.maximum(np.ptp(snips, axis=1), np.finfo(float).tiny))
    return np.column_stack([pcs, logpp])


#: Added to the covariances' diagonal (scikit-learn's ``reg_covar``; ours: the features are
#: principal components of unit-peak shapes and a log amplitude, of order 0.1–1).
REG_COVAR = 1e-3


def gmm_bic(features, max_units, min_per_unit=8, max_fit=300, patience=1):
    """Labels from the Gaussian mixture whose number of components minimises BIC.

    Components are tried from 1 upward (one component in closed form,
    :func:`one_gaussian_bic`; two and more by scikit-learn); the search stops after
    ``patience`` sizes without a better BIC, or at ``max_units`` or ``n / min_per_unit``
    components. The mixtures are fitted on at most ``max_fit`` spikes spread evenly in time
    (ours: 300 points hold 12 components of 4-D Gaussians; the later merge step undoes
    over-splitting), with a loose tolerance (labels, not likelihoods, are what is used), then
    every spike is labelled.
    """
    from sklearn.mixture import GaussianMixture

    n = features.shape[0]
    k_max = int(max(1, min(max_units, n // min_per_unit)))
    fit_on = features[np.linspace(0, n - 1, min(n, max_fit)).astype(int)]
    # Limited here, after importing scikit-learn: an enclosing one_blas_thread block opened
    # before its OpenMP runtime was loaded does not cover it, and a multi-threaded OpenMP
    # pool in a process that later forks (a ProcessPoolExecutor) deadlocks the children's
    # KMeans. Tiny matrices, so one thread is also the faster.
    with _thread_controller().limit(limits=1):
        # one unit first: no mixture to fit, and no label but 0 (best stays None)
        best, best_bic, worse = None, one_gaussian_bic(fit_on, REG_COVAR), 0
        for k in range(2, k_max + 1):
            gm = GaussianMixture(k, covariance_type="full", reg_covar=REG_COVAR,
                                 random_state=0, max_iter=40, tol=1e-2).fit(fit_on)
            bic = gm.bic(fit_on)
            if bic < best_bic:
                best, best_bic, worse = gm, bic, 0
            else:
                worse += 1
                if worse >= patience:
                    break
        return np.zeros(n, int) if best is None else best.predict(features)


def one_gaussian_bic(x, reg_covar):
    """BIC of one full-covariance Gaussian fitted to ``x``, shape (n, d).

    What ``GaussianMixture(1, covariance_type='full', reg_covar=reg_covar).bic(x)`` gives
    after fitting: one component is no clustering, its maximum-likelihood fit is the mean and
    the (biased) covariance plus ``reg_covar`` on the diagonal, which scikit-learn's EM reaches
    in its first step. Computed directly, it saves a scikit-learn fit (about 3 ms of overhead)
    in every sorted segment. Parameters counted as scikit-learn does: ``d + d (d + 1) / 2``.
    """
    n, d = x.shape
    diff = x - x.mean(axis=0)
    chol = np.linalg.cholesky(diff.T @ diff / n + reg_covar * np.eye(d))
    z = np.linalg.solve(chol, diff.T)  # whitened residuals: sum of squares = Mahalanobis
    log_det = 2.0 * np.sum(np.log(np.diag(chol)))
    log_lik = -0.5 * (np.sum(z * z) + n * (d * np.log(2 * np.pi) + log_det))
    return -2.0 * log_lik + (d + d * (d + 1) / 2) * np.log(n)


@functools.cache
def _thread_controller():
    """The BLAS/OpenMP libraries of this process, as threadpoolctl sees them, found once.

    Made after scikit-learn is imported, so that its OpenMP runtime is among them. Finding the
    libraries costs about 3 ms (``threadpool_limits`` does it on every call, which was 0.13 s
    of a 10-minute analysis); setting their thread counts then costs microseconds. A forked
    child shares the parent's libraries, so the cached view stays true in it.
    """
    import sklearn.mixture  # noqa: F401  (loads scikit-learn's OpenMP runtime)
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


__all__ = ["REG_COVAR", "gmm_bic", "one_gaussian_bic", "snippet_features"]
