"""The BIC mixture search of the sorter: the closed-form one-unit model is scikit-learn's."""

import numpy as np
import pytest
from sklearn.mixture import GaussianMixture

from myoemg.detect.clustering import REG_COVAR, gmm_bic, one_gaussian_bic


@pytest.mark.parametrize("n,d", [(16, 4), (300, 4), (120, 2)])
@pytest.mark.parametrize("seed", range(3))
def test_one_gaussian_bic_is_scikit_learns(n, d, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d)) @ rng.standard_normal((d, d)) * rng.uniform(0.05, 3.0)
    fitted = GaussianMixture(1, covariance_type="full", reg_covar=REG_COVAR,
                             random_state=0).fit(x)
    assert one_gaussian_bic(x, REG_COVAR) == pytest.approx(fitted.bic(x), rel=1e-12)


def test_one_cloud_is_one_unit_and_two_clouds_two():
    rng = np.random.default_rng(4)
    one = rng.normal(0.0, 1.0, (200, 4))
    assert np.array_equal(gmm_bic(one, max_units=6), np.zeros(200, int))
    two = np.vstack([one[:100], rng.normal(6.0, 1.0, (100, 4))])
    labels = gmm_bic(two, max_units=6)
    assert len(np.unique(labels)) == 2
    assert len(np.unique(labels[:100])) == 1 and len(np.unique(labels[100:])) == 1
