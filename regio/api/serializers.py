from django.utils import timezone
from rest_framework import serializers

from regio.models import Membership, Municipality, PopulationFigure, Region


class PopulationFigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = PopulationFigure
        fields = ["reference_date", "inhabitants", "source"]


class MunicipalitySerializer(serializers.ModelSerializer):
    successor = serializers.SlugRelatedField(slug_field="code", read_only=True)
    population = PopulationFigureSerializer(source="population_figures", many=True, read_only=True)
    regions = serializers.SerializerMethodField()

    class Meta:
        model = Municipality
        fields = ["code", "name", "active_from", "active_until", "successor", "population", "regions"]

    def get_regions(self, obj) -> list[str]:
        visible = self.context.get("visible_region_ids")
        return sorted({m.region.code for m in obj.memberships.all() if visible is None or m.region_id in visible})


class MemberSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    name = serializers.CharField(source="municipality.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["municipality", "name", "valid_from", "valid_until", "coordinating"]


class RegionSerializer(serializers.ModelSerializer):
    members = MemberSerializer(source="memberships", many=True, read_only=True)
    coordinator = serializers.SerializerMethodField()

    class Meta:
        model = Region
        fields = ["code", "name", "coordinator", "members"]

    def get_coordinator(self, obj) -> str | None:
        today = timezone.localdate()
        for membership in obj.memberships.all():  # prefetched: no query per region
            if membership.coordinating and membership.is_active_on(today):
                return membership.municipality.code
        return None
