from django.urls import path

from product.views import thumbnail

urlpatterns = [
    path(
        "thumbnail/<int:media_id>/<int:size>/<str:format>/",
        thumbnail,
        name="product-thumbnail",
    ),
]
